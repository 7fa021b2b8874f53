package org.quiver.sql.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * How much heap a piece of work keeps alive: the most heap found in use right after a garbage
 * collection while it runs, less what was in use after a full collection before it. A pool's
 * peak usage would count garbage the collector had not got round to, which grows with the
 * heap's size rather than with what the work holds; what survives a collection does not.
 */
final class HeldHeap implements AutoCloseable {
  private final long baseline;
  private final AtomicLong mostAfterCollection = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;

  /** Collects fully, takes the baseline, then watches every collection until closed. */
  HeldHeap() {
    System.gc();
    baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  private void collected(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (MemoryUsage pool : info.getGcInfo().getMemoryUsageAfterGc().values()) {
      used += pool.getUsed();
    }
    mostAfterCollection.accumulateAndGet(used, Math::max);
  }

  /**
   * The bytes held above the baseline at the worst collection so far; 0 when no collection ran
   * (the work then held less than the young generation).
   */
  long bytes() {
    return Math.max(0, mostAfterCollection.get() - baseline);
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // Never added: nothing to remove.
      }
    }
  }
}
