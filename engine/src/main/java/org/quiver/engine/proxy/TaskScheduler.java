package org.quiver.engine.proxy;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.rootcoord.Tso;

/**
 * Runs tasks on the proxy's three queues: definition tasks one at a time in timestamp order,
 * manipulation tasks one at a time in timestamp order (each is one durable log write), and query
 * tasks on the caller's thread so that a read costs no thread hand-off.
 *
 * <p>A task's timestamp is assigned under one lock together with its registration in its queue, so
 * when a query with timestamp {@code T} finds no unfinished manipulation below {@code T}, every
 * write that could be visible at {@code T} is already in the log.
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

  public TaskScheduler(Tso tso) {
    this.tso = tso;
  }

  /** Enqueues the task, waits for it and returns its result or throws its error. */
  public <R> R run(Task<R> task) {
    TaskQueue queue = queue(task.queue());
    synchronized (enqueueLock) {
      task.assignTimestamp(tso.next());
      queue.started(task.timestamp());
      if (queue == definitions) {
        definitionWorker.execute(() -> runInQueue(task, queue));
      } else if (queue == manipulations) {
        manipulationWorker.execute(() -> runInQueue(task, queue));
      }
    }
    if (queue == queries) {
      runInQueue(task, queue);
    }
    try {
      return task.done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QuiverException.of(ErrorCode.QUERY_CANCELED, "interrupted while waiting for a task");
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  private static <R> void runInQueue(Task<R> task, TaskQueue queue) {
    // The task leaves its queue before its caller is told, so that a read the caller issues next
    // does not wait for it.
    R result = null;
    Throwable error = null;
    try {
      task.preExecute();
      result = task.execute();
      task.postExecute();
    } catch (Throwable t) {
      error = t;
    } finally {
      queue.finished(task.timestamp());
    }
    if (error == null) {
      task.done.complete(result);
    } else {
      task.done.completeExceptionally(error);
    }
  }

  /** Waits until every manipulation task with a timestamp below {@code ts} has finished. */
  void awaitManipulationsBefore(long ts) {
    // Manipulations are short (one log write); spinning briefly keeps strong reads sub-millisecond.
    long spins = 0;
    while (!manipulations.doneBefore(ts)) {
      if (++spins < 1_000) {
        Thread.onSpinWait();
      } else {
        try {
          Thread.sleep(0, 100_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw QuiverException.of(ErrorCode.QUERY_CANCELED, "interrupted while waiting for writes");
        }
      }
    }
  }

  private TaskQueue queue(TaskQueue.Kind kind) {
    return switch (kind) {
      case DEFINITION -> definitions;
      case MANIPULATION -> manipulations;
      case QUERY -> queries;
    };
  }

  /** Queue lengths and finished counts, for statistics. */
  public String stats() {
    return String.format("definition_active=%d definition_done=%d manipulation_active=%d "
            + "manipulation_done=%d query_active=%d query_done=%d",
        definitions.activeCount(), definitions.finishedCount(), manipulations.activeCount(),
        manipulations.finishedCount(), queries.activeCount(), queries.finishedCount());
  }

  private static RuntimeException unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new QuiverException(ErrorCode.INTERNAL_ERROR, t.toString(), t);
  }

  @Override
  public void close() {
    definitionWorker.shutdown();
    manipulationWorker.shutdown();
    try {
      definitionWorker.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      manipulationWorker.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
