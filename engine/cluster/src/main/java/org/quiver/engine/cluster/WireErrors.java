package org.quiver.engine.cluster;

import java.util.function.BiFunction;
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
 * status with a code back into the same exception. A status without one did not come from the
 * node but from the transport (unavailable, deadline passed, call torn down, or a stream cut
 * short, which gRPC may report as INTERNAL or UNKNOWN when a node dies mid-answer): it becomes
 * {@link QueryNodeUnavailableException}, and the caller asks the node a cheap question before it
 * decides the node is gone.
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
    return fromFlight(e, (what, cause) -> new QueryNodeUnavailableException(location, what, cause));
  }

  /**
   * What the caller sees of a failed call: the server's own error, or, for a failure of the
   * transport, what {@code unavailable} makes of its description.
   */
  static QuiverException fromFlight(FlightRuntimeException e,
      BiFunction<String, FlightRuntimeException, QuiverException> unavailable) {
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
    if (status.code() == FlightStatusCode.UNAUTHENTICATED) {
      // The server is there and refused this process's token (or its lack of one).
      return new QuiverException(ErrorCode.INVALID_AUTHORIZATION, status.description());
    }
    String what = switch (status.code()) {
      case TIMED_OUT -> "no answer within the deadline";
      case CANCELLED -> "the call was torn down";
      case UNAVAILABLE -> "unreachable";
      default -> "the transport failed with " + status.code();
    };
    return unavailable.apply(what + " (" + status.description() + ")", e);
  }
}
