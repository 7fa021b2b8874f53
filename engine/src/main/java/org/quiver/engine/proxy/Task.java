package org.quiver.engine.proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * One request as the proxy schedules it, with the Milvus task lifecycle: the scheduler assigns the
 * timestamp on enqueue, then runs {@link #preExecute}, {@link #execute} and {@link #postExecute} in
 * its queue and calls {@link #notifyDone}; the caller blocks in {@link #waitToFinish}.
 *
 * @param <R> what the task returns
 */
public abstract class Task<R> {
  private final CompletableFuture<R> done = new CompletableFuture<>();
  private volatile long timestamp = -1;

  /** The queue a task of this kind runs on. */
  abstract TaskQueue.Kind queue();

  public final long timestamp() {
    return timestamp;
  }

  final void assignTimestamp(long ts) {
    this.timestamp = ts;
  }

  /** What the task is, for {@code sys.tasks}: its kind by default. */
  String describe() {
    String name = getClass().getSimpleName();
    return name.endsWith("Task") ? name.substring(0, name.length() - 4) : name;
  }

  /**
   * Whether a read must wait for this task when it is below the read's timestamp. Compaction
   * rewrites segments without changing any row a read sees, so reads need not wait for it.
   */
  boolean changesWhatReadsSee() {
    return true;
  }

  /** Validates the request; runs before anything is written. */
  void preExecute() {}

  abstract R execute();

  void postExecute() {}

  /** Hands the outcome to the caller waiting in {@link #waitToFinish}. */
  final void notifyDone(R result, Throwable error) {
    if (error == null) {
      done.complete(result);
    } else {
      done.completeExceptionally(error);
    }
  }

  /** Blocks until the task has run; returns its result or throws its error. */
  final R waitToFinish() {
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QuiverException.of(ErrorCode.QUERY_CANCELED, "interrupted while waiting for a task");
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
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
}
