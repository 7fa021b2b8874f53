package org.quiver.engine.proxy;

import java.util.concurrent.CompletableFuture;

/**
 * One request as the proxy schedules it, with the Milvus task lifecycle: the scheduler assigns the
 * timestamp on enqueue, then runs {@link #preExecute}, {@link #execute} and {@link #postExecute} in
 * its queue, and notifies the waiting caller through {@link #done}.
 *
 * @param <R> what the task returns
 */
public abstract class Task<R> {
  final CompletableFuture<R> done = new CompletableFuture<>();
  private long timestamp = -1;

  /** The queue a task of this kind runs on. */
  abstract TaskQueue.Kind queue();

  public final long timestamp() {
    return timestamp;
  }

  final void assignTimestamp(long ts) {
    this.timestamp = ts;
  }

  /** Validates the request; runs before anything is written. */
  void preExecute() {}

  abstract R execute();

  void postExecute() {}
}
