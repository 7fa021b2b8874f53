package org.quiver.engine.cluster;

import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.querynode.QueryNodeUnavailableException;

/**
 * Errors across the wire. The node's {@link QuiverException} travels as a Flight status whose
 * description is its message and whose metadata carries its {@link ErrorCode} ({@value
 * #CODE_KEY}, the enum's name) and SQLSTATE ({@value #SQLSTATE_KEY}, for tools that read only
 * that); anything else as {@link ErrorCode#INTERNAL_ERROR} with its message. The client turns a
 * status with a code back into the same exception, and a status that says the node was not
 * reached (unavailable, deadline passed, call torn down) into {@link
 * QueryNodeUnavailableException}.
 */
final class WireErrors {
  static final String CODE_KEY = "quiver-error";
  static final String SQLSTATE_KEY = "sqlstate";

  private WireErrors() {}

  /** The status the server answers for {@code error}, thrown by the node or by the decoding. */
  static FlightRuntimeException toFlight(Throwable error) {
    ErrorCode code = error instanceof QuiverException q ? q.code() : ErrorCode.INTERNAL_ERROR;
    String message = error.getMessage() != null ? error.getMessage() : error.getClass().getName();
    ErrorFlightMetadata metadata = new ErrorFlightMetadata();
    metadata.insert(CODE_KEY, code.name());
    metadata.insert(SQLSTATE_KEY, code.sqlState());
    CallStatus status = code == ErrorCode.INTERNAL_ERROR ? CallStatus.INTERNAL
        : CallStatus.INVALID_ARGUMENT;
    return status.withDescription(message).withMetadata(metadata).withCause(error)
        .toRuntimeException();
  }

  /** What the caller sees of a failed call to the node at {@code location}. */
  static QuiverException fromFlight(FlightRuntimeException e, String location) {
    CallStatus status = e.status();
    String coded = status.metadata() == null || !status.metadata().containsKey(CODE_KEY)
        ? null : status.metadata().get(CODE_KEY);
    if (coded != null) {
      ErrorCode code;
      try {
        code = ErrorCode.valueOf(coded);
      } catch (IllegalArgumentException unknown) {
        // A code a newer node knows and this build does not.
        code = ErrorCode.INTERNAL_ERROR;
      }
      return new QuiverException(code, status.description());
    }
    FlightStatusCode flight = status.code();
    if (flight == FlightStatusCode.UNAVAILABLE || flight == FlightStatusCode.TIMED_OUT
        || flight == FlightStatusCode.CANCELLED) {
      String what = flight == FlightStatusCode.TIMED_OUT ? "no answer within the deadline"
          : flight == FlightStatusCode.CANCELLED ? "the call was torn down"
          : "unreachable";
      return new QueryNodeUnavailableException(location,
          what + " (" + status.description() + ")", e);
    }
    return new QuiverException(ErrorCode.INTERNAL_ERROR,
        "query node " + location + " failed: " + status.code() + " " + status.description(), e);
  }
}
