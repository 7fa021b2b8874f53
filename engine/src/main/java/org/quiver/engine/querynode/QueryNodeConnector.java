package org.quiver.engine.querynode;

import java.util.ServiceLoader;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * Makes clients of query nodes that run in other processes. The engine carries no transport of its
 * own (no gRPC, no Netty, so the embeddable library stays small): the implementation lives in
 * {@code quiver-engine-cluster} and is found with {@link ServiceLoader}, as the catalog and log
 * clients are.
 */
public interface QueryNodeConnector {

  /** What the connector speaks, lower case ({@code flight}), for logs and for choosing one. */
  String scheme();

  /**
   * A client of the query node listening at {@code location} ({@code host:port}). It connects
   * lazily, so a node that is down fails the first call, not this one; closing the client (the
   * interface's {@link QueryNode#close}) closes the connection and leaves the node as it is.
   */
  QueryNode connect(String location);

  /**
   * The connector on the class path; 0A000 naming the module to add when there is none.
   */
  static QueryNodeConnector find() {
    return ServiceLoader.load(QueryNodeConnector.class, QueryNodeConnector.class.getClassLoader())
        .findFirst()
        .orElseThrow(() -> QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
            "query nodes in other processes need quiver-engine-cluster on the class path"));
  }
}
