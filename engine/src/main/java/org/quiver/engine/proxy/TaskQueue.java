package org.quiver.engine.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.quiver.engine.api.status.QueueStats;
import org.quiver.engine.api.status.TaskView;

/**
 * One of the proxy's three queues, as in the Milvus proxy: tasks that have a timestamp but have
 * not started (unissued, in timestamp order) and tasks that are running (active). A task is
 * unfinished while it is in either list, so {@link #taskDoneTest} tells whether every task of this
 * queue below a timestamp has finished.
 */
final class TaskQueue {
  /** The three queues of the Milvus proxy. */
  enum Kind {
    DEFINITION, MANIPULATION, QUERY
  }

  final Kind kind;
  private final Deque<Task<?>> unissued = new ArrayDeque<>();
  private final ConcurrentSkipListMap<Long, Task<?>> active = new ConcurrentSkipListMap<>();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  /** Notified whenever a task finishes, for callers that wait in {@link #awaitDone}. */
  private final Object finishedSignal = new Object();

  TaskQueue(Kind kind) {
    this.kind = kind;
  }

  /**
   * Adds a task that just got its timestamp. The scheduler calls this under its enqueue lock, so
   * the unissued list stays in timestamp order.
   */
  synchronized void enqueue(Task<?> task) {
    unissued.addLast(task);
  }

  /** Moves the oldest unissued task to the active list and returns it, or null if none waits. */
  synchronized Task<?> issueNext() {
    Task<?> task = unissued.pollFirst();
    if (task != null) {
      active.put(task.timestamp(), task);
    }
    return task;
  }

  /** Issues one particular task (a query, which runs on its caller's thread). */
  synchronized void issue(Task<?> task) {
    if (unissued.remove(task)) {
      active.put(task.timestamp(), task);
    }
  }

  void finished(Task<?> task, boolean ok) {
    synchronized (this) {
      active.remove(task.timestamp());
    }
    (ok ? done : failed).incrementAndGet();
    synchronized (finishedSignal) {
      finishedSignal.notifyAll();
    }
  }

  /**
   * True when no unissued or active task of this queue with a timestamp below {@code ts} changes
   * what reads see (see {@link Task#changesWhatReadsSee}).
   */
  synchronized boolean taskDoneTest(long ts) {
    for (Task<?> t : unissued) {
      if (t.timestamp() >= ts) {
        break;
      }
      if (t.changesWhatReadsSee()) {
        return false;
      }
    }
    for (Task<?> t : active.headMap(ts).values()) {
      if (t.changesWhatReadsSee()) {
        return false;
      }
    }
    return true;
  }

  /** The lowest timestamp of an unfinished task, or {@link Long#MAX_VALUE} if none is. */
  synchronized long oldestUnfinished() {
    long oldest = Long.MAX_VALUE;
    Task<?> first = unissued.peekFirst();
    if (first != null) {
      oldest = first.timestamp();
    }
    Map.Entry<Long, Task<?>> a = active.firstEntry();
    return a == null ? oldest : Math.min(oldest, a.getKey());
  }

  /**
   * Blocks until {@link #taskDoneTest}{@code (ts)}: spins briefly (manipulations are one log write,
   * so a strong read after a write usually waits microseconds), then sleeps until a task finishes.
   */
  void awaitDone(long ts) throws InterruptedException {
    for (int spins = 0; spins < 2_000; spins++) {
      if (taskDoneTest(ts)) {
        return;
      }
      Thread.onSpinWait();
    }
    synchronized (finishedSignal) {
      while (!taskDoneTest(ts)) {
        finishedSignal.wait(5);
      }
    }
  }

  String kindName() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The queue's lengths and counters. */
  QueueStats stats() {
    int waiting;
    synchronized (this) {
      waiting = unissued.size();
    }
    return new QueueStats(kindName(), waiting, active.size(), done.get(), failed.get());
  }

  /** The unfinished tasks, unissued first, each in timestamp order. */
  synchronized List<TaskView> tasks() {
    List<TaskView> out = new ArrayList<>();
    for (Task<?> t : unissued) {
      out.add(new TaskView(kindName(), "unissued", t.timestamp(), t.describe()));
    }
    for (Task<?> t : active.values()) {
      out.add(new TaskView(kindName(), "active", t.timestamp(), t.describe()));
    }
    return out;
  }
}
