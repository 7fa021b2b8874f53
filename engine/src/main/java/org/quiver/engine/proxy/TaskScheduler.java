package org.quiver.engine.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.status.QueueStats;
import org.quiver.engine.api.status.TaskView;
import org.quiver.engine.error.StorageFailures;
import org.quiver.engine.rootcoord.Tso;

/**
 * Runs tasks on the proxy's three queues, as the Milvus proxy does: definition tasks one at a time
 * in timestamp order, manipulation tasks one at a time in timestamp order (each is one durable log
 * write, and the log of a channel must be in timestamp order), and query tasks on the caller's
 * thread so that a read costs no thread hand-off.
 *
 * <p>A task's timestamp is assigned under one lock together with its enqueue, so when {@link
 * #taskDoneTest}{@code (T)} holds, every definition and write that could be visible at {@code T}
 * has finished, and no task below {@code T} can still arrive.
 */
public final class TaskScheduler implements AutoCloseable {
  private final Tso tso;
  private final Object enqueueLock = new Object();
  private final TaskQueue definitions = new TaskQueue(TaskQueue.Kind.DEFINITION);
  private final TaskQueue manipulations = new TaskQueue(TaskQueue.Kind.MANIPULATION);
  private final TaskQueue queries = new TaskQueue(TaskQueue.Kind.QUERY);
  private final ExecutorService definitionWorker =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("quiver-dd").daemon().factory());
  private final ExecutorService manipulationWorker =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("quiver-dm").daemon().factory());
  private volatile Runnable onManipulationFinished = () -> { };

  public TaskScheduler(Tso tso) {
    this.tso = tso;
  }

  /** Called after every manipulation task finishes: time ticks advance on it. */
  public void onManipulationFinished(Runnable listener) {
    this.onManipulationFinished = listener;
  }

  /** Enqueues the task, waits for it and returns its result or throws its error. */
  public <R> R run(Task<R> task) {
    TaskQueue queue = queue(task.queue());
    synchronized (enqueueLock) {
      task.assignTimestamp(tso.next());
      queue.enqueue(task);
    }
    switch (queue.kind) {
      // Each submission runs the oldest unissued task, so tasks run in timestamp order even when
      // two callers submit in the other order.
      case DEFINITION -> definitionWorker.execute(() -> issueNext(definitions));
      case MANIPULATION -> manipulationWorker.execute(() -> issueNext(manipulations));
      case QUERY -> {
        queue.issue(task);
        runIssued(task, queue);
      }
    }
    return task.waitToFinish();
  }

  private void issueNext(TaskQueue queue) {
    Task<?> task = queue.issueNext();
    if (task != null) {
      runIssued(task, queue);
    }
  }

  private <R> void runIssued(Task<R> task, TaskQueue queue) {
    R result = null;
    Throwable error = null;
    try {
      task.preExecute();
      result = task.execute();
      task.postExecute();
    } catch (Throwable t) {
      // A full disk under the log or the catalog is the user's to fix, not a bug: 53100.
      error = StorageFailures.translate(t);
    } finally {
      // The task leaves its queue before its caller is told, so that a read the caller issues
      // next does not wait for it.
      queue.finished(task, error == null);
    }
    if (queue == manipulations) {
      onManipulationFinished.run();
    }
    task.notifyDone(result, error);
  }

  /**
   * Milvus's {@code TaskDoneTest}: true when no definition or manipulation task with a timestamp
   * below {@code ts} is unissued or active. Queries are not waited for: a read changes nothing
   * another read could see.
   */
  public boolean taskDoneTest(long ts) {
    return definitions.taskDoneTest(ts) && manipulations.taskDoneTest(ts);
  }

  /** Blocks until {@link #taskDoneTest}{@code (ts)}. */
  void awaitTaskDone(long ts) {
    try {
      definitions.awaitDone(ts);
      manipulations.awaitDone(ts);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QuiverException.of(ErrorCode.QUERY_CANCELED, "interrupted while waiting for writes");
    }
  }

  /** Blocks until every manipulation task below {@code ts} has finished. */
  void awaitManipulationsBefore(long ts) {
    try {
      manipulations.awaitDone(ts);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QuiverException.of(ErrorCode.QUERY_CANCELED, "interrupted while waiting for writes");
    }
  }

  /**
   * The timestamp a time tick may carry now: a fresh timestamp when no manipulation task is
   * unfinished, else just below the oldest unfinished one. Every write below it is in the log, and
   * none below it can still be enqueued.
   */
  public long tickTimestamp() {
    synchronized (enqueueLock) {
      long now = tso.next();
      long oldest = manipulations.oldestUnfinished();
      return oldest == Long.MAX_VALUE ? now : Math.min(now, oldest - 1);
    }
  }

  /** A fresh timestamp from the oracle. */
  public long now() {
    return tso.next();
  }

  private TaskQueue queue(TaskQueue.Kind kind) {
    return switch (kind) {
      case DEFINITION -> definitions;
      case MANIPULATION -> manipulations;
      case QUERY -> queries;
    };
  }

  /** Lengths and done counts of the three queues, for {@code sys.queues}. */
  public List<QueueStats> queueStats() {
    return List.of(definitions.stats(), manipulations.stats(), queries.stats());
  }

  /** Every unfinished task, queue by queue, for {@code sys.tasks}. */
  public List<TaskView> tasks() {
    List<TaskView> all = new ArrayList<>();
    all.addAll(definitions.tasks());
    all.addAll(manipulations.tasks());
    all.addAll(queries.tasks());
    return all;
  }

  /** Queue lengths and finished counts, as one line of text. */
  public String stats() {
    StringBuilder out = new StringBuilder();
    for (QueueStats s : queueStats()) {
      out.append(out.isEmpty() ? "" : " ").append(String.format(
          "%1$s_unissued=%2$d %1$s_active=%3$d %1$s_done=%4$d %1$s_failed=%5$d",
          s.queue(), s.unissued(), s.active(), s.done(), s.failed()));
    }
    return out.toString();
  }

  @Override
  public void close() {
    definitionWorker.shutdown();
    manipulationWorker.shutdown();
    try {
      definitionWorker.awaitTermination(30, TimeUnit.SECONDS);
      manipulationWorker.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
