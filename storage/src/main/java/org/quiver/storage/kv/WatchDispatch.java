package org.quiver.storage.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of a store whose writes all pass through this process (RocksDB): the store hands
 * each write's changes to {@link #publish} in the order the writes were made, and each watch calls
 * its listener on a thread of its own, one write at a time, so that a slow listener holds up
 * neither the writers nor the other watches.
 */
final class WatchDispatch {
  private static final Logger LOG = LoggerFactory.getLogger(WatchDispatch.class);

  private final List<Registration> watches = new CopyOnWriteArrayList<>();

  KvWatch add(String prefix, Consumer<List<KvChange>> listener) {
    Registration r = new Registration(prefix, listener);
    watches.add(r);
    return r;
  }

  boolean isEmpty() {
    return watches.isEmpty();
  }

  /** Hands one write's changes, in key order, to the watches whose prefix they fall under. */
  void publish(List<KvChange> changes) {
    for (Registration r : watches) {
      List<KvChange> mine = new ArrayList<>();
      for (KvChange c : changes) {
        if (c.key().startsWith(r.prefix)) {
          mine.add(c);
        }
      }
      if (!mine.isEmpty()) {
        r.deliver(List.copyOf(mine));
      }
    }
  }

  /** Stops every watch (the store is closing). */
  void closeAll() {
    watches.forEach(Registration::close);
  }

  private final class Registration implements KvWatch {
    final String prefix;
    final Consumer<List<KvChange>> listener;
    final ExecutorService calls = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("kv-watch").factory());

    Registration(String prefix, Consumer<List<KvChange>> listener) {
      this.prefix = prefix;
      this.listener = listener;
    }

    void deliver(List<KvChange> changes) {
      if (calls.isShutdown()) {
        return;
      }
      try {
        calls.execute(() -> {
          try {
            listener.accept(changes);
          } catch (RuntimeException e) {
            LOG.warn("event=kv_watch_listener_failed prefix={} error={}", prefix, e.toString(), e);
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
        // The watch was closed between the check and the call: its listener wants no more.
      }
    }

    @Override
    public void close() {
      watches.remove(this);
      calls.shutdown();
    }
  }
}
