package org.quiver.engine.querycoord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.kv.KvWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query coordination of a cluster, in the coordinator's process: the engine's {@link
 * QueryNode}, whose work is done by query nodes in other processes. Each live node holds every
 * loaded table whole (a replica, as Milvus's replicas): every change of what is held goes to all
 * of them, and each read goes to one, in turn, or to the next when one does not answer.
 *
 * <p><b>Membership.</b> Nodes register a session key under {@code session/querynode/} that lives
 * with their process ({@code KvStore#putForSession}); this class reads those keys when they
 * change and at least every {@link #RECONCILE_MS} ms. A node joins once it has loaded every table
 * the cluster holds and has been given the latest time tick of each, so it never answers from
 * less than the others hold. A node that fails a call (a read: and then does not answer a cheap
 * one either, so that a read that only ran out of time evicts no node), or whose session lapsed,
 * leaves at once; while its session is there it is tried again, and it joins anew: what it held
 * is released and loaded again, since it may have missed changes meanwhile.
 *
 * <p><b>Consistency.</b> Joins take {@link #membership}'s write lock; changes to what is held and
 * time ticks take its read lock, so a node never joins halfway through one of them. The tSafe of
 * a table is the latest tick every live node acknowledged: a read at or below it is answered by
 * any of them with every write it must see.
 */
public final class QueryCluster implements QueryNode {
  /** How often the sessions are read even without a change seen. */
  static final long RECONCILE_MS = 500;
  private static final String SESSIONS = "session/querynode/";
  private static final Logger LOG = LoggerFactory.getLogger(QueryCluster.class);

  private final KvStore kv;
  private final QueryNodeConnector connector;
  private final Map<String, Member> live = new ConcurrentHashMap<>();
  private final Map<Long, CollectionInfo> loaded = new ConcurrentHashMap<>();
  private final Map<Long, DroppedCollection> retained = new ConcurrentHashMap<>();
  /** Per held table, the latest tick every live node acknowledged. */
  private final Map<Long, Long> ticks = new ConcurrentHashMap<>();
  private final ReentrantReadWriteLock membership = new ReentrantReadWriteLock();
  private final AtomicInteger turn = new AtomicInteger();
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

  /** Brings a node up to what the cluster holds, then lets it answer reads. */
  private void join(String id, String endpoint) {
    QueryNode node;
    try {
      node = connector.connect(endpoint);
    } catch (RuntimeException e) {
      LOG.debug("event=querynode_unreachable id={} endpoint={} error={}", id, endpoint,
          e.toString());
      return;
    }
    membership.writeLock().lock();
    try {
      // A node back after a failure, or from an earlier coordinator, may hold what it held
      // before it missed changes.
      node.releaseAll();
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
      live.put(id, new Member(id, endpoint, node));
      LOG.info("event=querynode_joined id={} endpoint={} tables={}", id, endpoint,
          loaded.size());
    } catch (RuntimeException e) {
      LOG.warn("event=querynode_join_failed id={} endpoint={} error={}", id, endpoint,
          e.toString());
      node.close();
    } finally {
      membership.writeLock().unlock();
    }
  }

  private void leave(Member m, String why) {
    if (live.remove(m.id(), m)) {
      LOG.warn("event=querynode_left id={} endpoint={} reason=\"{}\"", m.id(), m.endpoint(), why);
      m.node().close();
    }
  }

  /**
   * Makes {@code call} on every live node, under the membership's read lock. A node that fails
   * leaves the cluster (it joins again, loading anew, while its session lives): the nodes that
   * stay all made the call.
   */
  private void broadcast(String what, Consumer<QueryNode> call) {
    membership.readLock().lock();
    try {
      for (Member m : List.copyOf(live.values())) {
        try {
          call.accept(m.node());
        } catch (RuntimeException e) {
          leave(m, what + " failed: " + e.getMessage());
        }
      }
    } finally {
      membership.readLock().unlock();
    }
  }

  /**
   * Reads from one live node, the next in turn; when it does not answer it leaves and the next
   * is asked. 55000 when no node is up.
   */
  private <T> T read(String table, Function<QueryNode, T> call) {
    while (true) {
      List<Member> members = List.copyOf(live.values());
      if (members.isEmpty()) {
        throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
            "no query node is up to read table \"%s\"; start one (./quiver serve --role"
                + " querynode) or wait for one to come back", table);
      }
      Member m = members.get(Math.floorMod(turn.getAndIncrement(), members.size()));
      try {
        return call.apply(m.node());
      } catch (QueryNodeUnavailableException e) {
        if (answers(m)) {
          // Alive, and the read alone ran out of time: another node would take as long.
          throw e;
        }
        leave(m, e.getMessage());
      }
    }
  }

  /** Whether a node that failed a call still answers a cheap one. */
  private static boolean answers(Member m) {
    try {
      m.node().isLoaded(-1);
      return true;
    } catch (QueryNodeUnavailableException e) {
      return false;
    }
  }

  private Optional<Member> anyMember() {
    return live.values().stream().findFirst();
  }

  @Override
  public void load(CollectionInfo info) {
    loaded.put(info.id(), info);
    broadcast("load of " + info.name(), node -> node.load(info));
  }

  @Override
  public void loadRetained(DroppedCollection dropped) {
    long id = dropped.collection().id();
    if (retained.putIfAbsent(id, dropped) == null) {
      broadcast("load of dropped " + dropped.collection().name(),
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

  /** The state of a node that answers, or "no query node" while the table is held and none is. */
  @Override
  public LoadState loadState(long collectionId, String partition) {
    if (!isLoaded(collectionId)) {
      return LoadState.NOT_LOADED;
    }
    Optional<Member> m = anyMember();
    return m.isPresent() ? m.get().node().loadState(collectionId, partition)
        : new LoadState("no query node", 0, 0, 0);
  }

  @Override
  public void release(long collectionId) {
    loaded.remove(collectionId);
    retained.remove(collectionId);
    ticks.remove(collectionId);
    broadcast("release", node -> node.release(collectionId));
  }

  /** Closes the clients; the nodes keep what they hold until they are told or restarted. */
  @Override
  public void close() {
    watch.close();
    reconciler.shutdownNow();
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
    broadcast("release of every table", QueryNode::releaseAll);
  }

  @Override
  public void indexCreated(IndexInfo index) {
    broadcast("index " + index.name() + " created", node -> node.indexCreated(index));
  }

  @Override
  public void indexBuilt(SegmentInfo segment, IndexInfo index) {
    broadcast("index " + index.name() + " built", node -> node.indexBuilt(segment, index));
  }

  @Override
  public void indexDropped(IndexInfo index) {
    broadcast("drop of index " + index.name(), node -> node.indexDropped(index));
  }

  @Override
  public long indexHeapBytes(IndexInfo index) {
    return anyMember().map(m -> m.node().indexHeapBytes(index)).orElse(0L);
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
    membership.readLock().lock();
    try {
      broadcast("time tick", node -> node.advanceTSafe(info, tick));
      if (isLoaded(info.id())) {
        ticks.merge(info.id(), tick, Math::max);
      }
    } finally {
      membership.readLock().unlock();
    }
  }

  @Override
  public void catchUp(CollectionInfo info) {
    broadcast("catch-up", node -> node.catchUp(info));
  }

  @Override
  public void segmentsFlushed(List<SegmentInfo> seal) {
    broadcast("seal hand-off", node -> node.segmentsFlushed(seal));
  }

  @Override
  public void partitionCreated(long collectionId, String partition) {
    broadcast("partition " + partition + " created",
        node -> node.partitionCreated(collectionId, partition));
  }

  @Override
  public void partitionDropped(long collectionId, String partition) {
    broadcast("drop of partition " + partition,
        node -> node.partitionDropped(collectionId, partition));
  }

  @Override
  public void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged) {
    broadcast("compaction hand-off", node -> node.segmentsCompacted(replaced, merged));
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
    return read(info.name(), node -> node.search(info, request, readTs));
  }

  @Override
  public List<ResultRows> searchBatch(CollectionInfo info, SearchRequest request,
      List<SearchVector> queries, long readTs) {
    return read(info.name(), node -> node.searchBatch(info, request, queries, readTs));
  }

  @Override
  public ResultRows query(CollectionInfo info, QueryRequest request, long readTs) {
    return read(info.name(), node -> node.query(info, request, readTs));
  }

  @Override
  public RowStream scan(CollectionInfo info, QueryRequest request, long readTs) {
    return read(info.name(), node -> node.scan(info, request, readTs));
  }

  @Override
  public ResultRows getByKeys(CollectionInfo info, QueryRequest request, long readTs) {
    return read(info.name(), node -> node.getByKeys(info, request, readTs));
  }
}
