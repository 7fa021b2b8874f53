package org.quiver.sql.flight;

import java.sql.SQLException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.quiver.sql.error.SqlErrors;

/**
 * Quiver's errors as Flight statuses. Flight has no SQLSTATE, so the state leads the message
 * ({@code [SQLSTATE 42P01] table "x" does not exist}), where every Flight client shows it, and
 * travels in the {@code sqlstate} metadata key as well; the status code is the nearest gRPC one.
 */
final class FlightErrors {
  static final String SQLSTATE_KEY = "sqlstate";

  private FlightErrors() {}

  static FlightRuntimeException of(Throwable error) {
    if (error instanceof FlightRuntimeException f) {
      return f;
    }
    SQLException sql = null;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        sql = e;
        break;
      }
    }
    if (sql == null) {
      sql = SqlErrors.translate(new SQLException(String.valueOf(error.getMessage()), null, error));
    } else {
      sql = SqlErrors.translate(sql);
    }
    String state = sql.getSQLState() == null || sql.getSQLState().isEmpty()
        ? "XX000" : sql.getSQLState();
    return status(state, sql.getMessage()).withCause(error).toRuntimeException();
  }

  /**
   * {@code failure} with the hidden name of a replace's staging table shown as the name of the
   * table it replaces, the only one the client knows.
   */
  static FlightRuntimeException naming(FlightRuntimeException failure, String staging,
      String table) {
    CallStatus status = failure.status();
    String message = status.description();
    if (message == null || !message.contains(staging)) {
      return failure;
    }
    return status.withDescription(message.replace(staging, table)).withCause(failure.getCause())
        .toRuntimeException();
  }

  /** A status for {@code state} whose message starts with the state. */
  static CallStatus status(String state, String message) {
    ErrorFlightMetadata metadata = new ErrorFlightMetadata();
    metadata.insert(SQLSTATE_KEY, state);
    return code(state).withDescription("[SQLSTATE " + state + "] " + message)
        .withMetadata(metadata);
  }

  static FlightRuntimeException error(String state, String message) {
    return status(state, message).toRuntimeException();
  }

  /**
   * The refusal of every transaction request, and of an ingest inside a transaction, saying what
   * holds instead.
   */
  static FlightRuntimeException noTransactions() {
    return error("0A000", "transactions are not supported: each statement and each "
        + "bulk ingest commits on its own, all or nothing (a failed ingest deletes the rows it "
        + "wrote), and every write is visible to the reads that follow it");
  }

  private static CallStatus code(String state) {
    if (state.equals("42P01") || state.equals("42704") || state.equals("42703")
        || state.equals("26000")) {
      return CallStatus.NOT_FOUND;
    }
    if (state.equals("42501")) {
      return CallStatus.UNAUTHORIZED;
    }
    if (state.startsWith("28")) {
      return CallStatus.UNAUTHENTICATED;
    }
    if (state.equals("0A000")) {
      return CallStatus.UNIMPLEMENTED;
    }
    if (state.equals("57014")) {
      return CallStatus.CANCELLED;
    }
    if (state.equals("23505") || state.equals("42P07") || state.equals("42710")) {
      return CallStatus.ALREADY_EXISTS;
    }
    if (state.startsWith("08")) {
      return CallStatus.UNAVAILABLE;
    }
    if (state.startsWith("22") || state.startsWith("23") || state.startsWith("42")
        || state.startsWith("0")) {
      return CallStatus.INVALID_ARGUMENT;
    }
    return CallStatus.INTERNAL;
  }
}
