package org.quiver.engine.querycoord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.QueryNodeConnector;
import org.quiver.engine.querynode.QueryNodeUnavailableException;
import org.quiver.engine.querynode.SegmentAssignment;
import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.kv.KvWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query coordination of a cluster, in the coordinator's process: the engine's {@link
 * QueryNode}, whose work is done by query nodes in other processes. The live nodes share each
 * loaded table out ({@link SegmentAssignment}): each sealed segment's rows are one node's, a
 * table's growing rows one node's, and every node holds every delete. Every change of what is
 * held goes to all of them; each read goes to all of them at once, and their answers are merged
 * ({@link ResultMerge}).
 *
 * <p><b>Membership.</b> Nodes register a session key under {@code session/querynode/} that lives
 * with their process ({@code KvStore#putForSession}); this class reads those keys when they
 * change and at least every {@link #RECONCILE_MS} ms. A node joins once it has loaded its part of
 * every table the cluster holds and has been given the latest time tick of each; the others then
 * let go of what became its part. It loads its part twice: first while reads go on (which fetches
 * the files into its cache), then anew under the lock, from local files. A node that fails a call (a read: and then does not answer a
 * cheap one either, so that a read that only ran out of time evicts no node), or whose session
 * lapsed, leaves at once, and the others load its part. While its session is there it is tried
 * again, and it joins anew: what it held is released and loaded again, since it may have missed
 * changes meanwhile.
 *
 * <p><b>Consistency.</b> Joins, leaves and every change of which rows a node holds (loads,
 * releases, seals, compactions, partitions dropped) take {@link #membership}'s write lock; reads
 * and time ticks take its read lock. So a read never sees one node after a hand-off and another
 * before it: a row handed from one node to another is read once, and a read whose node left
 * waits for the others to load its part and runs again. The tSafe of a table is the latest tick
 * every live node acknowledged: a read at or below it sees every write it must see on every node.
 * With no node up a read fails with 55000, never with part of the answer.
 */
public final class QueryCluster implements QueryNode {
  /** How often the sessions are read even without a change seen. */
  static final long RECONCILE_MS = 500;
  /** Rows a chunk of a scan merged from several nodes' scans, as a node's scan chunks are. */
  private static final int SCAN_CHUNK = 1024;
  private static final String SESSIONS = "session/querynode/";
  private static final Logger LOG = LoggerFactory.getLogger(QueryCluster.class);

  private final KvStore kv;
  private final QueryNodeConnector connector;
  /** The nodes that answer reads, by id; changed under the membership write lock. */
  private final Map<String, Member> live = new ConcurrentHashMap<>();
  /** The part each live node was last told; under the membership write lock. */
  private final Map<String, SegmentAssignment> assigned = new HashMap<>();
  private final Map<Long, CollectionInfo> loaded = new ConcurrentHashMap<>();
  private final Map<Long, DroppedCollection> retained = new ConcurrentHashMap<>();
  /** Per held table, the latest tick every live node acknowledged. */
  private final Map<Long, Long> ticks = new ConcurrentHashMap<>();
  private final ReentrantReadWriteLock membership = new ReentrantReadWriteLock();
  /** Runs the calls of one read on the nodes at once. */
  private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService reconciler;
  private final KvWatch watch;

  /** A node in the cluster: its session's id and endpoint, and the client that calls it. */
  private record Member(String id, String endpoint, QueryNode node) {}

  public QueryCluster(KvStore kv, QueryNodeConnector connector) {
    this.kv = kv;
    this.connector = connector;
    this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "querycoord-membership");
      t.setDaemon(true);
      return t;
    });
    reconcile();
    this.watch = kv.watchPrefix(SESSIONS, changes -> reconciler.execute(this::reconcile));
    reconciler.scheduleWithFixedDelay(this::reconcile, RECONCILE_MS, RECONCILE_MS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * The parts as the live nodes hold them now (its {@code self} is one of them, or {@link
   * SegmentAssignment#WHOLE} when none is up), for status: which node holds what.
   */
  public SegmentAssignment currentParts() {
    List<String> nodes = List.copyOf(live.keySet());
    return nodes.isEmpty() ? SegmentAssignment.WHOLE : SegmentAssignment.of(nodes, nodes.get(0));
  }

  /** The ids of the nodes that answer reads now, for status and tests. */
  public Set<String> liveNodes() {
    return Set.copyOf(live.keySet());
  }

  /** Brings the live nodes in line with the sessions registered. */
  private void reconcile() {
    SortedMap<String, byte[]> sessions;
    try {
      sessions = kv.scanPrefix(SESSIONS);
    } catch (RuntimeException e) {
      LOG.warn("event=querycoord_sessions_unreadable error={}", e.toString());
      return;
    }
    Map<String, String> endpoints = new HashMap<>();
    sessions.forEach((key, value) -> endpoints.put(key.substring(SESSIONS.length()),
        new String(value, StandardCharsets.UTF_8)));
    for (Member m : List.copyOf(live.values())) {
      if (!m.endpoint().equals(endpoints.get(m.id()))) {
        leave(m, "its session ended");
      }
    }
    endpoints.forEach((id, endpoint) -> {
      if (!live.containsKey(id)) {
        join(id, endpoint);
      }
    });
  }

  /**
   * Brings a node up to its part of what the cluster holds, then lets it answer reads; the other
   * nodes then let go of what became its part.
   */
  private void join(String id, String endpoint) {
    QueryNode node;
    try {
      node = connector.connect(endpoint);
    } catch (RuntimeException e) {
      LOG.debug("event=querynode_unreachable id={} endpoint={} error={}", id, endpoint,
          e.toString());
      return;
    }
    try {
      // Its part fetched into its cache first, while the others go on answering: the load under
      // the lock below, anew since changes may reach the others meanwhile, reads local files.
      List<String> nodes = new ArrayList<>(live.keySet());
      nodes.add(id);
      node.releaseAll();
      node.assign(SegmentAssignment.of(nodes, id));
      loaded.values().forEach(node::load);
    } catch (RuntimeException e) {
      LOG.warn("event=querynode_join_failed id={} endpoint={} error={}", id, endpoint,
          e.toString());
      node.close();
      return;
    }
    membership.writeLock().lock();
    try {
      List<String> nodes = new ArrayList<>(live.keySet());
      nodes.add(id);
      // A node back after a failure, or from an earlier coordinator, may hold what it held
      // before it missed changes.
      node.releaseAll();
      SegmentAssignment part = SegmentAssignment.of(nodes, id);
      node.assign(part);
      assigned.put(id, part);
      for (CollectionInfo info : loaded.values()) {
        node.load(info);
      }
      for (DroppedCollection d : retained.values()) {
        node.loadRetained(d);
      }
      for (Map.Entry<Long, Long> tick : ticks.entrySet()) {
        CollectionInfo info = loaded.get(tick.getKey());
        if (info != null) {
          node.advanceTSafe(info, tick.getValue());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("event=querynode_join_failed id={} endpoint={} error={}", id, endpoint,
          e.toString());
      node.close();
      membership.writeLock().unlock();
      return;
    }
    try {
      live.put(id, new Member(id, endpoint, node));
      reassign();
      LOG.info("event=querynode_joined id={} endpoint={} tables={}", id, endpoint,
          loaded.size());
    } finally {
      membership.writeLock().unlock();
    }
  }

  /**
   * Takes a node out of the cluster and gives its part to the others. Takes the membership write
   * lock: call it holding no lock, or the write lock.
   */
  private void leave(Member m, String why) {
    membership.writeLock().lock();
    try {
      if (live.remove(m.id(), m)) {
        LOG.warn("event=querynode_left id={} endpoint={} reason=\"{}\"", m.id(), m.endpoint(),
            why);
        m.node().close();
        reassign();
      }
    } finally {
      membership.writeLock().unlock();
    }
  }

  /**
   * Tells every live node its part under the live nodes (a node whose part is unchanged does
   * nothing); a node that fails leaves, and the others are told again. Call with the membership
   * write lock held.
   */
  private void reassign() {
    boolean settled = false;
    while (!settled) {
      settled = true;
      List<String> nodes = List.copyOf(live.keySet());
      assigned.keySet().retainAll(nodes);
      for (Member m : List.copyOf(live.values())) {
        SegmentAssignment part = SegmentAssignment.of(nodes, m.id());
        if (part.equals(assigned.get(m.id()))) {
          continue;
        }
        try {
          m.node().assign(part);
          assigned.put(m.id(), part);
        } catch (RuntimeException e) {
          live.remove(m.id(), m);
          LOG.warn("event=querynode_left id={} endpoint={} reason=\"assignment failed: {}\"",
              m.id(), m.endpoint(), e.getMessage());
          m.node().close();
          settled = false;
          break;
        }
      }
    }
  }

  /**
   * Makes {@code call} on every live node, under the membership's read lock (a time tick, an
   * index declared), or its write lock when the call changes which rows a node holds. A node that
   * fails leaves the cluster (it joins again, loading anew, while its session lives): the nodes
   * that stay all made the call.
   */
  private void broadcast(String what, boolean changesRows, Consumer<QueryNode> call) {
    broadcast(what, changesRows, call, () -> { });
  }

  /** As the other, then runs {@code after} under the same lock. */
  private void broadcast(String what, boolean changesRows, Consumer<QueryNode> call,
      Runnable after) {
    Lock lock = changesRows ? membership.writeLock() : membership.readLock();
    List<Member> failed = new ArrayList<>();
    lock.lock();
    try {
      // To every node at once: a time tick costs each node a catch-up on the log, a load its
      // segments, and the slowest node sets the time, not their sum.
      List<Member> members = List.copyOf(live.values());
      List<Future<?>> done = new ArrayList<>(members.size());
      for (Member m : members) {
        done.add(members.size() == 1 ? CompletableFuture.runAsync(() -> call.accept(m.node()),
            Runnable::run) : fanOut.submit(() -> call.accept(m.node())));
      }
      // Waited for whatever happens: a change half made on the nodes must still be recorded.
      boolean interrupted = false;
      for (int i = 0; i < members.size(); i++) {
        while (true) {
          try {
            done.get(i).get();
            break;
          } catch (ExecutionException e) {
            LOG.warn("event=querynode_call_failed id={} call=\"{}\" error={}",
                members.get(i).id(), what, e.getCause().getMessage());
            failed.add(members.get(i));
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (changesRows) {
        failed.forEach(m -> leave(m, what + " failed"));
      }
      after.run();
    } finally {
      lock.unlock();
    }
    if (!changesRows) {
      // Outside the read lock: a leave takes the write lock.
      failed.forEach(m -> leave(m, what + " failed"));
    }
  }

  /**
   * Reads from every live node at once, each answering for its part; when one does not answer it
   * leaves, the others load its part, and the read runs again. A read cut short by a node that
   * still answers a cheap call (a stream torn down, a deadline missed) runs again once, then
   * fails with that node's error: another node would do no better. 55000 when no node is up.
   */
  private <T> List<T> read(String table, Function<QueryNode, T> call) {
    boolean retried = false;
    while (true) {
      Member gone = null;
      QueryNodeUnavailableException cutShort = null;
      membership.readLock().lock();
      try {
        List<Member> members = live.values().stream()
            .sorted(Comparator.comparing(Member::id)).toList();
        if (members.isEmpty()) {
          throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
              "no query node is up to read table \"%s\"; start one (./quiver serve --role"
                  + " querynode) or wait for one to come back", table);
        }
        List<Future<T>> answers = new ArrayList<>(members.size());
        if (members.size() > 1) {
          for (Member m : members) {
            answers.add(fanOut.submit(() -> call.apply(m.node())));
          }
        }
        List<T> results = new ArrayList<>(members.size());
        // A node's own error (bad input, say) passes on once every node has answered: the first
        // in node order, whichever came first.
        RuntimeException refused = null;
        for (int i = 0; i < members.size() && gone == null && cutShort == null; i++) {
          QueryNodeUnavailableException unavailable = null;
          try {
            results.add(answers.isEmpty() ? call.apply(members.get(i).node())
                : answers.get(i).get());
          } catch (QueryNodeUnavailableException e) {
            unavailable = e;
          } catch (ExecutionException e) {
            if (e.getCause() instanceof QueryNodeUnavailableException u) {
              unavailable = u;
            } else if (refused == null) {
              refused = e.getCause() instanceof RuntimeException r ? r
                  : new IllegalStateException(e.getCause());
            }
          } catch (InterruptedException e) {
            answers.forEach(a -> a.cancel(true));
            Thread.currentThread().interrupt();
            throw QuiverException.of(ErrorCode.QUERY_CANCELED,
                "read of table \"%s\" interrupted", table);
          }
          if (unavailable != null) {
            answers.forEach(a -> a.cancel(true));
            if (answers(members.get(i))) {
              cutShort = unavailable;
            } else {
              gone = members.get(i);
            }
          }
        }
        if (gone == null && cutShort == null) {
          if (refused != null) {
            throw refused;
          }
          return results;
        }
      } finally {
        membership.readLock().unlock();
      }
      if (cutShort != null) {
        if (retried) {
          throw cutShort;
        }
        retried = true;
        LOG.info("event=querynode_read_retried table={} error=\"{}\"", table,
            cutShort.getMessage());
        continue;
      }
      leave(gone, "a read failed");
    }
  }

  /** Whether a node that failed a call still answers a cheap one (an error is an answer). */
  private static boolean answers(Member m) {
    try {
      m.node().isLoaded(-1);
      return true;
    } catch (QueryNodeUnavailableException e) {
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }

  private Optional<Member> anyMember() {
    return live.values().stream().findFirst();
  }

  /** The coordinator shares the tables out itself: it is told nothing. */
  @Override
  public void assign(SegmentAssignment assignment) {}

  @Override
  public void load(CollectionInfo info) {
    loaded.put(info.id(), info);
    broadcast("load of " + info.name(), true, node -> node.load(info));
  }

  @Override
  public void loadRetained(DroppedCollection dropped) {
    long id = dropped.collection().id();
    if (retained.putIfAbsent(id, dropped) == null) {
      broadcast("load of dropped " + dropped.collection().name(), true,
          node -> node.loadRetained(dropped));
    }
  }

  @Override
  public Set<String> releasedPartitions(long collectionId) {
    return anyMember().map(m -> m.node().releasedPartitions(collectionId)).orElse(Set.of());
  }

  @Override
  public LoadState loadState(long collectionId) {
    return loadState(collectionId, null);
  }

  /**
   * The state over the live nodes: loaded when every node has loaded its part, its memory the sum
   * of theirs; "no query node" while the table is held and no node is up.
   */
  @Override
  public LoadState loadState(long collectionId, String partition) {
    if (!isLoaded(collectionId)) {
      return LoadState.NOT_LOADED;
    }
    List<LoadState> states = new ArrayList<>();
    for (Member m : List.copyOf(live.values())) {
      try {
        states.add(m.node().loadState(collectionId, partition));
      } catch (QueryNodeUnavailableException e) {
        // Gone meanwhile: its part is the others' once it has left.
      }
    }
    if (states.isEmpty()) {
      return new LoadState("no query node", 0, 0, 0);
    }
    LoadState slowest = states.stream().min(Comparator.comparingInt(LoadState::progress)).get();
    return new LoadState(slowest.state(), slowest.progress(),
        states.stream().mapToLong(LoadState::heapBytes).sum(),
        states.stream().mapToLong(LoadState::mappedBytes).sum());
  }

  @Override
  public void release(long collectionId) {
    loaded.remove(collectionId);
    retained.remove(collectionId);
    ticks.remove(collectionId);
    broadcast("release", true, node -> node.release(collectionId));
  }

  /** Closes the clients; the nodes keep what they hold until they are told or restarted. */
  @Override
  public void close() {
    watch.close();
    reconciler.shutdownNow();
    fanOut.shutdownNow();
    membership.writeLock().lock();
    try {
      live.values().forEach(m -> m.node().close());
      live.clear();
    } finally {
      membership.writeLock().unlock();
    }
  }

  @Override
  public void releaseAll() {
    loaded.clear();
    retained.clear();
    ticks.clear();
    broadcast("release of every table", true, QueryNode::releaseAll);
  }

  @Override
  public void indexCreated(IndexInfo index) {
    broadcast("index " + index.name() + " created", false, node -> node.indexCreated(index));
  }

  @Override
  public void indexBuilt(SegmentInfo segment, IndexInfo index) {
    broadcast("index " + index.name() + " built", false, node -> node.indexBuilt(segment, index));
  }

  @Override
  public void indexDropped(IndexInfo index) {
    broadcast("drop of index " + index.name(), false, node -> node.indexDropped(index));
  }

  @Override
  public long indexHeapBytes(IndexInfo index) {
    long bytes = 0;
    for (Member m : List.copyOf(live.values())) {
      bytes += m.node().indexHeapBytes(index);
    }
    return bytes;
  }

  @Override
  public boolean isLoaded(long collectionId) {
    return loaded.containsKey(collectionId) || retained.containsKey(collectionId);
  }

  @Override
  public long tSafe(long collectionId) {
    return isLoaded(collectionId) ? ticks.getOrDefault(collectionId, 0L) : -1;
  }

  @Override
  public void advanceTSafe(CollectionInfo info, long tick) {
    // The tick is recorded under the same read lock: a node that joins after it gets it.
    broadcast("time tick", false, node -> node.advanceTSafe(info, tick), () -> {
      if (isLoaded(info.id())) {
        ticks.merge(info.id(), tick, Math::max);
      }
    });
  }

  @Override
  public void catchUp(CollectionInfo info) {
    broadcast("catch-up", false, node -> node.catchUp(info));
  }

  @Override
  public void segmentsFlushed(List<SegmentInfo> seal) {
    broadcast("seal hand-off", true, node -> node.segmentsFlushed(seal));
  }

  @Override
  public void partitionCreated(long collectionId, String partition) {
    broadcast("partition " + partition + " created", false,
        node -> node.partitionCreated(collectionId, partition));
  }

  @Override
  public void partitionDropped(long collectionId, String partition) {
    broadcast("drop of partition " + partition, true,
        node -> node.partitionDropped(collectionId, partition));
  }

  @Override
  public void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged) {
    broadcast("compaction hand-off", true, node -> node.segmentsCompacted(replaced, merged));
  }

  /** Damage any live node found: a table one node cannot read is not read from the others. */
  @Override
  public Optional<Damage> unreadable(CollectionInfo info) {
    List<Damage> found = new ArrayList<>();
    for (Member m : List.copyOf(live.values())) {
      try {
        m.node().unreadable(info).ifPresent(found::add);
      } catch (QueryNodeUnavailableException e) {
        leave(m, e.getMessage());
      }
    }
    return found.stream().findFirst();
  }

  @Override
  public ResultRows search(CollectionInfo info, SearchRequest request, long readTs) {
    SearchRequest each = request.withoutOffset();
    return ResultMerge.nearest(read(info.name(), node -> node.search(info, each, readTs)),
        info.schema(), request.k(), request.offset());
  }

  @Override
  public List<ResultRows> searchBatch(CollectionInfo info, SearchRequest request,
      List<SearchVector> queries, long readTs) {
    SearchRequest each = request.withoutOffset();
    List<List<ResultRows>> parts =
        read(info.name(), node -> node.searchBatch(info, each, queries, readTs));
    List<ResultRows> merged = new ArrayList<>(queries.size());
    for (int q = 0; q < queries.size(); q++) {
      int query = q;
      merged.add(ResultMerge.nearest(parts.stream().map(p -> p.get(query)).toList(),
          info.schema(), request.k(), request.offset()));
    }
    return merged;
  }

  @Override
  public ResultRows query(CollectionInfo info, QueryRequest request, long readTs) {
    return ResultMerge.rows(read(info.name(), node -> node.query(info, request, readTs)),
        info.schema(), request.limit());
  }

  @Override
  public RowStream scan(CollectionInfo info, QueryRequest request, long readTs) {
    List<RowStream> parts = read(info.name(), node -> node.scan(info, request, readTs));
    return ResultMerge.stream(parts, info.schema(), SCAN_CHUNK, request.limit());
  }

  @Override
  public ResultRows getByKeys(CollectionInfo info, QueryRequest request, long readTs) {
    return ResultMerge.rows(read(info.name(), node -> node.getByKeys(info, request, readTs)),
        info.schema(), request.limit());
  }
}
