package org.quiver.engine.querynode;

import java.util.ServiceLoader;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * Connects to a query node in another process by the endpoint it registered. Found through
 * {@link ServiceLoader}, so that the engine carries no transport: quiver-engine-cluster provides
 * one over Arrow Flight.
 */
public interface QueryNodeConnector {

  /**
   * A client of the query node at {@code endpoint} ({@code host:port}); its calls fail with
   * {@link QueryNodeUnavailableException} when the node cannot be reached, and {@link
   * QueryNode#close} closes the client only.
   */
  QueryNode connect(String endpoint);

  /** The connector on the class path; 0A000 naming the module when there is none. */
  static QueryNodeConnector find() {
    return ServiceLoader.load(QueryNodeConnector.class, QueryNodeConnector.class.getClassLoader())
        .findFirst().orElseThrow(() -> QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
            "query nodes in other processes need quiver-engine-cluster on the class path"));
  }
}
