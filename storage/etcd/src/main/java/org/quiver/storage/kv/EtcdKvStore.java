package org.quiver.storage.kv;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.quiver.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KvStore} on etcd through jetcd, for cluster mode: every key lives under a root prefix,
 * so several stores (or tests) can share one etcd.
 *
 * <p>An etcd write is durable once it returns (committed by the Raft quorum and fsync'd).
 * {@link #multiSave} is one etcd transaction, so its size is bounded by the server's {@code
 * --max-txn-ops} (128 by default) and request size limit.
 * A prefix scan reads one revision, so it sees a transaction whole or not at all.
 *
 * <p>Thread-safe; jetcd's client is shared by all callers.
 */
public final class EtcdKvStore implements KvStore {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdKvStore.class);
  /** How long a call waits for etcd unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** How long a claim outlives the process holding it. */
  static final Duration CLAIM_TTL = Duration.ofSeconds(10);
  /** How long a claim held by another is waited for: past its lapse after a crash. */
  static final Duration CLAIM_WAIT = CLAIM_TTL.plusSeconds(5);
  private static final Duration CLAIM_POLL = Duration.ofMillis(500);

  private final Client client;
  private final KV kv;
  private final String root;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;
  /** The lease of this store's claims (0: none yet), kept alive until close. */
  private long claimLease;
  /**
   * The claim that every write is conditional on, once this store holds one: a write goes
   * through only while the claim's key still exists as created by this store, so that a store
   * whose claim lapsed (its lease expired while etcd did not hear from it, and another may have
   * claimed since) cannot write any more.
   */
  private volatile Fence fence;

  private record Fence(String name, ByteSequence key, long createRevision) {}
  private CloseableClient claimKeepAlive;

  private final Duration timeout;

  private EtcdKvStore(Client client, String root, Duration timeout) {
    this.client = client;
    this.kv = client.getKVClient();
    this.root = root;
    this.timeout = timeout;
  }

  /**
   * Connects to etcd.
   *
   * @param endpoints client URLs such as {@code http://127.0.0.1:2379}
   * @param root the prefix of every key this store reads or writes, such as {@code quiver/}
   */
  public static EtcdKvStore connect(List<String> endpoints, String root) {
    return connect(endpoints, root, DEFAULT_TIMEOUT);
  }

  /**
   * Connects to etcd.
   *
   * @param timeout how long a call waits for etcd before it fails
   */
  public static EtcdKvStore connect(List<String> endpoints, String root, Duration timeout) {
    Objects.requireNonNull(root, "root");
    if (timeout.toMillis() < 100) {
      throw new IllegalArgumentException("timeout below 100 ms: " + timeout);
    }
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one etcd endpoint is needed");
    }
    Client client =
        Client.builder()
            .endpoints(endpoints.toArray(String[]::new))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    LOG.info("kv store connected endpoints={} root={}", endpoints, root);
    return new EtcdKvStore(client, root, timeout);
  }

  @Override
  public byte[] get(String key) {
    GetResponse r = call("get", key, () -> kv.get(bytes(key)));
    return r.getKvs().isEmpty() ? null : r.getKvs().get(0).getValue().getBytes();
  }

  @Override
  public void put(String key, byte[] value) {
    Objects.requireNonNull(value, "value");
    if (fence != null) {
      transaction("put", key,
          List.of(Op.put(bytes(key), ByteSequence.from(value), PutOption.DEFAULT)));
      return;
    }
    call("put", key, () -> kv.put(bytes(key), ByteSequence.from(value)));
  }

  @Override
  public void delete(String key) {
    if (fence != null) {
      transaction("delete", key, List.of(Op.delete(bytes(key), DeleteOption.DEFAULT)));
      return;
    }
    call("delete", key, () -> kv.delete(bytes(key)));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a key is both put and removed, since the caller's intent
   *     is then unclear
   */
  @Override
  public void multiSave(Map<String, byte[]> puts, Collection<String> removes) {
    Set<String> removed = new HashSet<>(removes);
    List<Op> ops = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : puts.entrySet()) {
      if (removed.contains(e.getKey())) {
        throw new IllegalArgumentException("key is both put and removed: " + e.getKey());
      }
      byte[] value = Objects.requireNonNull(e.getValue(), e.getKey());
      ops.add(Op.put(bytes(e.getKey()), ByteSequence.from(value), PutOption.DEFAULT));
    }
    for (String key : removed) {
      ops.add(Op.delete(bytes(key), DeleteOption.DEFAULT));
    }
    transaction("multi save", puts.size() + " puts, " + removed.size() + " removes", ops);
  }

  @Override
  public SortedMap<String, byte[]> scanPrefix(String prefix) {
    ByteSequence start = bytes(prefix);
    GetOption option =
        GetOption.builder()
            .isPrefix(true)
            .withSortField(GetOption.SortTarget.KEY)
            .withSortOrder(GetOption.SortOrder.ASCEND)
            .build();
    GetResponse r = call("scan", prefix, () -> kv.get(start, option));
    SortedMap<String, byte[]> result = new TreeMap<>();
    for (KeyValue e : r.getKvs()) {
      result.put(unroot(e.getKey()), e.getValue().getBytes());
    }
    return result;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The claim is a key under a lease of {@link #CLAIM_TTL} that this store keeps alive: it
   * lapses that long after the process holding it dies, and is revoked at {@link #close}. From
   * then on every write of this store is conditional on the claim (a fence): once it lapsed, a
   * write fails with a {@link StorageException} saying so, even if the process lives on. A
   * claim held by another is waited for up to {@link #CLAIM_WAIT}, which covers a restart just
   * after a crash.
   */
  @Override
  public void claimExclusive(String name, String owner) {
    claimExclusive(name, owner, CLAIM_WAIT);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The key is put under the lease of this store's claims ({@link #CLAIM_TTL}, kept alive
   * until {@link #close} revokes it), unconditionally: a process that writes only its session
   * claims nothing.
   */
  @Override
  public synchronized void putForSession(String key, byte[] value) {
    long lease = sessionLease(key);
    call("put", key, () -> kv.put(bytes(key), ByteSequence.from(value),
        PutOption.builder().withLeaseId(lease).build()));
  }

  /** The lease of this store's claims and session keys, granted and kept alive on first use. */
  private long sessionLease(String forKey) {
    if (claimLease == 0) {
      claimLease = call("lease grant", forKey,
          () -> client.getLeaseClient().grant(CLAIM_TTL.toSeconds())).getID();
      claimKeepAlive = client.getLeaseClient().keepAlive(claimLease, new StreamObserver<>() {
        @Override
        public void onNext(LeaseKeepAliveResponse value) {}

        @Override
        public void onError(Throwable t) {
          LOG.warn("event=kv_claim_keepalive_failed root={} error={}", root, t.toString());
        }

        @Override
        public void onCompleted() {}
      });
    }
    return claimLease;
  }

  /** {@link #claimExclusive(String, String)}, waiting up to {@code wait} for another's claim. */
  synchronized void claimExclusive(String name, String owner, Duration wait) {
    sessionLease(name);
    ByteSequence key = bytes(name);
    ByteSequence value = ByteSequence.from(owner, StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      TxnResponse r = call("claim", name, () -> kv.txn()
          .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
          .Then(Op.put(key, value, PutOption.builder().withLeaseId(claimLease).build()))
          .Else(Op.get(key, GetOption.DEFAULT))
          .commit());
      if (r.isSucceeded()) {
        fence = new Fence(name, key, r.getHeader().getRevision());
        LOG.info("event=kv_claimed root={} name={} owner={}", root, name, owner);
        return;
      }
      List<KeyValue> held = r.getGetResponses().isEmpty()
          ? List.of() : r.getGetResponses().get(0).getKvs();
      String holder = held.isEmpty() ? "?" : held.get(0).getValue().toString(
          StandardCharsets.UTF_8);
      if (!held.isEmpty() && held.get(0).getLease() == claimLease) {
        fence = new Fence(name, key, held.get(0).getCreateRevision());
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("etcd root " + root + " is in use by " + holder
            + " (it holds " + name + "); one engine writes a catalog at a time");
      }
      try {
        Thread.sleep(CLAIM_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("kv claim interrupted root=" + root + " key=" + name, e);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>An etcd watch from the revision after the store's current one, so that no write made after
   * this call is missed while the watch is set up; the changes of one revision (one write) are
   * one call. jetcd calls the listener on its own executor, one response at a time.
   */
  @Override
  public KvWatch watchPrefix(String prefix, Consumer<List<KvChange>> listener) {
    ByteSequence start = bytes(prefix);
    long revision = call("watch", prefix, () -> kv.get(start,
        GetOption.builder().isPrefix(true).withCountOnly(true).build()))
        .getHeader().getRevision();
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).build();
    Watch.Watcher watcher = client.getWatchClient().watch(start, option, Watch.listener(
        response -> deliver(response.getEvents(), listener),
        error -> LOG.warn("event=kv_watch_failed root={} prefix={} error={}", root, prefix,
            error.toString())));
    return watcher::close;
  }

  private void deliver(List<WatchEvent> events, Consumer<List<KvChange>> listener) {
    TreeMap<Long, List<KvChange>> byRevision = new TreeMap<>();
    for (WatchEvent e : events) {
      KeyValue kv = e.getKeyValue();
      byte[] value = e.getEventType() == WatchEvent.EventType.DELETE
          ? null : kv.getValue().getBytes();
      byRevision.computeIfAbsent(kv.getModRevision(), r -> new ArrayList<>())
          .add(new KvChange(unroot(kv.getKey()), value));
    }
    for (List<KvChange> write : byRevision.values()) {
      write.sort(Comparator.comparing(KvChange::key));
      try {
        listener.accept(List.copyOf(write));
      } catch (RuntimeException e) {
        LOG.warn("event=kv_watch_listener_failed root={} error={}", root, e.toString(), e);
      }
    }
  }

  /** Closes the client; waits for running operations, later ones throw IllegalStateException. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      releaseClaims();
      client.close();
      LOG.info("kv store closed root={}", root);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Revokes the claims' lease, so that the next owner need not wait for it to lapse. */
  private void releaseClaims() {
    if (claimKeepAlive != null) {
      claimKeepAlive.close();
    }
    if (claimLease != 0) {
      try {
        client.getLeaseClient().revoke(claimLease).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("event=kv_claim_release_failed root={} error={}", root, e.toString());
      }
    }
  }

  private void transaction(String op, String what, List<Op> ops) {
    if (ops.isEmpty()) {
      return;
    }
    Op[] all = ops.toArray(Op[]::new);
    Fence f = fence;
    if (f == null) {
      call(op, what, () -> kv.txn().Then(all).commit());
      return;
    }
    TxnResponse r = call(op, what, () -> kv.txn()
        .If(new Cmp(f.key(), Cmp.Op.EQUAL, CmpTarget.createRevision(f.createRevision())))
        .Then(all)
        .commit());
    if (!r.isSucceeded()) {
      throw new StorageException("kv " + op + " refused root=" + root + " key=" + what
          + ": this process's claim on " + f.name() + " lapsed (etcd did not hear from it for"
          + " longer than its lease, and another process may hold it now), so it may not write;"
          + " restart it", (Throwable) null);
    }
  }

  private <T> T call(String op, String what, Supplier<CompletableFuture<T>> rpc) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("kv store is closed: etcd root " + root);
      }
      return rpc.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("kv " + op + " interrupted root=" + root + " key=" + what, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new StorageException("kv " + op + " failed root=" + root + " key=" + what, cause);
    } finally {
      lock.unlock();
    }
  }

  private ByteSequence bytes(String key) {
    Objects.requireNonNull(key, "key");
    return ByteSequence.from(root + key, StandardCharsets.UTF_8);
  }

  private String unroot(ByteSequence key) {
    return key.toString(StandardCharsets.UTF_8).substring(root.length());
  }
}
