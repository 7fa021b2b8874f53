package org.quiver.engine.proxy;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tasks of one kind that have a timestamp and have not finished, so that a later task can wait
 * for all earlier ones ({@link TaskScheduler#awaitManipulationsBefore}).
 */
final class TaskQueue {
  /** The three queues of the Milvus proxy. */
  enum Kind {
    DEFINITION, MANIPULATION, QUERY
  }

  final Kind kind;
  private final ConcurrentSkipListSet<Long> active = new ConcurrentSkipListSet<>();
  private final AtomicLong finished = new AtomicLong();

  TaskQueue(Kind kind) {
    this.kind = kind;
  }

  void started(long ts) {
    active.add(ts);
  }

  void finished(long ts) {
    active.remove(ts);
    finished.incrementAndGet();
  }

  /** True when no unfinished task of this queue has a timestamp below {@code ts}. */
  boolean doneBefore(long ts) {
    // One read of the set: between isEmpty() and first() the last task may finish.
    Long first = active.ceiling(Long.MIN_VALUE);
    return first == null || first >= ts;
  }

  int activeCount() {
    return active.size();
  }

  long finishedCount() {
    return finished.get();
  }
}
