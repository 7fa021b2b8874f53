package org.quiver.engine.cluster;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;

/**
 * What the Flight side of a {@link FlightService} shares: it counts the calls in flight, so that
 * a stop can wait for them before it lets go of the buffers, and it streams a scan's chunks as
 * the client takes them.
 */
abstract class CallProducer extends NoOpFlightProducer {
  /** How long a scan waits at a time for the client's window before looking again: {@value} ms. */
  private static final long SCAN_WAIT_MS = 1_000;

  final BufferAllocator allocator;
  /** Set when the server stops: scans end rather than keep the server up. */
  volatile boolean stopping;
  /** Calls that have not returned yet; guarded by {@code this}. */
  private int inFlight;

  CallProducer(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /** Lists the records of the sealed interface {@code calls} as the server's action types. */
  static void listCalls(Class<?> calls, StreamListener<ActionType> listener) {
    for (Class<?> call : calls.getPermittedSubclasses()) {
      if (!call.isInterface()) {
        listener.onNext(new ActionType(call.getSimpleName(), ""));
      }
    }
    listener.onCompleted();
  }

  /**
   * Answers an action: {@code decode} reads the call from its body, whose name ({@code name}) must
   * be the action's type, and {@code answer} makes it; its one result is the answer. A failure
   * travels as {@link WireErrors} describes.
   */
  final <C> void act(Action action, StreamListener<Result> listener, Function<byte[], C> decode,
      Function<C, String> name, Function<C, byte[]> answer) {
    enter();
    try {
      C call = decode.apply(action.getBody());
      if (!name.apply(call).equals(action.getType())) {
        throw new IllegalArgumentException(
            "action " + action.getType() + " carries a " + name.apply(call) + " call");
      }
      listener.onNext(new Result(answer.apply(call)));
      listener.onCompleted();
    } catch (Throwable e) {
      listener.onError(WireErrors.toFlight(e));
    } finally {
      exit();
    }
  }

  final synchronized void enter() {
    inFlight++;
  }

  final synchronized void exit() {
    if (--inFlight == 0) {
      notifyAll();
    }
  }

  final synchronized int inFlight() {
    return inFlight;
  }

  /** Waits until no call is in flight, up to {@code millis}; whether none is. */
  final synchronized boolean awaitIdle(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (inFlight > 0) {
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /**
   * Sends {@code first} (if not null) and then {@code rows}' chunks into {@code root}, started
   * here, each once the client's window has room, so that no more than a chunk is held; stops
   * when the client cancels, and ends with a status without Quiver's code (the client takes the
   * server for gone, as it soon is) when the server stops.
   */
  final void stream(ServerStreamListener listener, VectorSchemaRoot root, ResultRows first,
      RowStream rows, String server) {
    BackpressureStrategy window = new BackpressureStrategy.CallbackBackpressureStrategy();
    window.register(listener);
    listener.start(root);
    ResultRows next = first;
    while (next != null || rows.hasNext()) {
      if (!awaitWindow(window, listener)) {
        return;
      }
      if (stopping) {
        listener.error(CallStatus.UNAVAILABLE
            .withDescription(server + " stopped in the middle of the scan")
            .toRuntimeException());
        return;
      }
      ResultBatches.write(next != null ? next : rows.next(), root);
      next = null;
      listener.putNext();
    }
    listener.completed();
  }

  /** Waits for room to send; false when the client is gone. */
  private boolean awaitWindow(BackpressureStrategy window, ServerStreamListener listener) {
    while (true) {
      if (listener.isCancelled()) {
        return false;
      }
      if (stopping) {
        return true;
      }
      switch (window.waitForListener(SCAN_WAIT_MS)) {
        case READY:
          return true;
        case TIMEOUT:
          continue;
        default:
          return false;
      }
    }
  }
}
