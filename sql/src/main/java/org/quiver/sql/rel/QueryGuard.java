package org.quiver.sql.rel;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.schema.Session;
import org.quiver.sql.schema.SessionSetting;

/**
 * Stops a running query when its statement is cancelled ({@code Statement.cancel}) or its query
 * timeout has passed: the rows of every Quiver scan and search pass through here, so a long query
 * (a join, an aggregate over many rows) fails with 57014 at its next row, and Calcite closes its
 * enumerators on the way out. Calcite's generated code itself checks neither.
 *
 * <p>The limit is the statement's query timeout or the session's {@code statement_timeout},
 * whichever is shorter. Remote clients have only the latter: the Avatica protocol carries neither
 * the query timeout nor a cancel request to the server (Quiver's driver sets the setting for a
 * query timeout, and sends a cancel as {@code CANCEL STATEMENT n}, see RunningStatements).
 */
final class QueryGuard {
  /** Rows between two reads of the clock. */
  private static final int CLOCK_EVERY = 256;

  private QueryGuard() {}

  static <T> Enumerable<T> guard(Enumerable<T> rows, DataContext context, Session session) {
    AtomicBoolean cancelled = DataContext.Variable.CANCEL_FLAG.get(context);
    Long timeout = DataContext.Variable.TIMEOUT.get(context);
    long sessionTimeout = Long.parseLong(session.setting(SessionSetting.STATEMENT_TIMEOUT));
    if (sessionTimeout > 0 && (timeout == null || timeout <= 0 || sessionTimeout < timeout)) {
      timeout = sessionTimeout;
    }
    if (timeout != null && timeout <= 0) {
      timeout = null;
    }
    if (cancelled == null && timeout == null) {
      return rows;
    }
    Long started = DataContext.Variable.UTC_TIMESTAMP.get(context);
    long deadline = timeout == null
        ? Long.MAX_VALUE
        : (started == null ? System.currentTimeMillis() : started) + timeout;
    Check check = new Check(cancelled, timeout, deadline);
    check.now();
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<T> enumerator() {
        Enumerator<T> inner = rows.enumerator();
        return new Enumerator<>() {
          private int sinceClock;

          @Override
          public T current() {
            return inner.current();
          }

          @Override
          public boolean moveNext() {
            if (++sinceClock == CLOCK_EVERY) {
              sinceClock = 0;
              check.now();
            } else {
              check.cancelled();
            }
            return inner.moveNext();
          }

          @Override
          public void reset() {
            inner.reset();
          }

          @Override
          public void close() {
            inner.close();
          }
        };
      }
    };
  }

  /** The two reasons to stop. */
  private record Check(AtomicBoolean flag, Long timeout, long deadline) {
    void now() {
      cancelled();
      if (System.currentTimeMillis() > deadline) {
        throw QuiverException.of(ErrorCode.QUERY_CANCELED,
            "canceling statement due to statement timeout (%d ms)", timeout);
      }
    }

    void cancelled() {
      if (flag != null && flag.get()) {
        throw QuiverException.of(ErrorCode.QUERY_CANCELED,
            "canceling statement due to user request");
      }
    }
  }
}
