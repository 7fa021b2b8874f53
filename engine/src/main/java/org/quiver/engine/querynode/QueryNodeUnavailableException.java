package org.quiver.engine.querynode;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * The query node at {@link #location} could not answer: it is not listening, the connection
 * dropped, or it did not answer within the call's deadline. Always {@link
 * ErrorCode#CONNECTION_LOST} (08006), so a caller can tell "this node is gone, ask another" from a
 * refusal by the node itself, which keeps its own code (a node that answers 08006 because it lost
 * its own log is a plain {@link QuiverException}).
 */
public final class QueryNodeUnavailableException extends QuiverException {
  private final String location;

  public QueryNodeUnavailableException(String location, String message, Throwable cause) {
    super(ErrorCode.CONNECTION_LOST, "query node " + location + ": " + message, cause);
    this.location = location;
  }

  /** The node's {@code host:port}. */
  public String location() {
    return location;
  }
}
