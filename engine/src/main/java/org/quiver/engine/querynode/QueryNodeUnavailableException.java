package org.quiver.engine.querynode;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * A query node in another process did not answer: it is down, unreachable or too slow. The
 * caller may try another node; the request itself was not refused (that keeps its own code).
 */
public class QueryNodeUnavailableException extends QuiverException {

  public QueryNodeUnavailableException(String endpoint, String problem, Throwable cause) {
    super(ErrorCode.CONNECTION_LOST,
        "query node " + endpoint + " did not answer: " + problem, cause);
  }
}
