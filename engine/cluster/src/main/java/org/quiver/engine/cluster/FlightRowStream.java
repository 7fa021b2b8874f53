package org.quiver.engine.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;

/**
 * A scan's chunks as a server streams them, read from the Flight stream as the caller takes them;
 * closing it cancels the server's scan unless it ended. Thread-safe.
 */
final class FlightRowStream implements RowStream {
  private final FlightStream stream;
  private final Function<VectorSchemaRoot, ResultRows> rowsOf;
  private final Function<FlightRuntimeException, RuntimeException> failure;
  private final Consumer<FlightRowStream> onClose;
  private ResultRows pending;
  private boolean done;
  private boolean closed;

  /**
   * @param rowsOf reads a batch as rows
   * @param failure what the caller sees of a failed read of the stream
   * @param onClose told once when the stream is closed
   */
  FlightRowStream(FlightStream stream, Function<VectorSchemaRoot, ResultRows> rowsOf,
      Function<FlightRuntimeException, RuntimeException> failure,
      Consumer<FlightRowStream> onClose) {
    this.stream = stream;
    this.rowsOf = rowsOf;
    this.failure = failure;
    this.onClose = onClose;
  }

  /**
   * A scan's rows from {@code stream}, kept in {@code open} until closed. The first chunk is
   * awaited here, so a scan the server refuses fails this call, as a local one does.
   */
  static FlightRowStream open(FlightStream stream, Function<VectorSchemaRoot, ResultRows> rowsOf,
      Function<FlightRuntimeException, RuntimeException> failure, Set<FlightRowStream> open) {
    FlightRowStream rows = new FlightRowStream(stream, rowsOf, failure, open::remove);
    open.add(rows);
    try {
      rows.hasNext();
    } catch (RuntimeException e) {
      rows.close();
      throw e;
    }
    return rows;
  }

  /**
   * Every batch of a whole answer, as rows; the stream is closed after. A failure of the stream is
   * the caller's to translate.
   */
  static List<ResultRows> readAll(FlightStream stream,
      Function<VectorSchemaRoot, ResultRows> rowsOf) {
    List<ResultRows> answers = new ArrayList<>();
    try (stream) {
      while (stream.next()) {
        answers.add(rowsOf.apply(stream.getRoot()));
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // FlightStream.close declares Exception; a finished stream has nothing left to fail.
      throw new IllegalStateException(e);
    }
    return answers;
  }

  @Override
  public synchronized boolean hasNext() {
    if (pending == null && !done && !closed) {
      boolean more;
      try {
        more = stream.next();
      } catch (FlightRuntimeException e) {
        throw failure.apply(e);
      }
      if (more) {
        pending = rowsOf.apply(stream.getRoot());
      } else {
        done = true;
      }
    }
    return pending != null;
  }

  @Override
  public synchronized ResultRows next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ResultRows rows = pending;
    pending = null;
    return rows;
  }

  /** Cancels the server's scan unless it ended, and lets go of the stream. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    onClose.accept(this);
    try {
      if (!done) {
        stream.cancel("the caller closed the scan", null);
      }
      stream.close();
    } catch (Exception e) {
      // The cancellation itself, or a server already gone: nothing is left to let go of.
    }
  }
}
