package org.quiver.engine.cluster;

import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.QueryNodeConnector;

/**
 * Query nodes over Arrow Flight: a {@link RemoteQueryNode} with the default deadlines and the
 * token of this process's environment ({@link ClusterToken}).
 */
public final class FlightQueryNodeConnector implements QueryNodeConnector {

  @Override
  public String scheme() {
    return "flight";
  }

  @Override
  public QueryNode connect(String location) {
    return new RemoteQueryNode(location, RemoteQueryNode.Deadlines.DEFAULT,
        ClusterToken.fromEnvironment().orElse(null));
  }
}
