package org.quiver.engine.cluster;

import org.quiver.engine.QueryNodeService;
import org.quiver.engine.api.QueryNodeHost;
import org.quiver.engine.api.QuiverConfig;

/**
 * A query node served over Arrow Flight: {@link QueryNodeService} behind a {@link
 * QueryNodeServer}, registered in the catalog store once the server listens.
 */
public final class FlightQueryNodeHost implements QueryNodeHost {
  private final QueryNodeService node;
  private final QueryNodeServer server;
  private final String endpoint;

  private FlightQueryNodeHost(QueryNodeService node, QueryNodeServer server, String endpoint) {
    this.node = node;
    this.server = server;
    this.endpoint = endpoint;
  }

  /** The provider {@link QueryNodeHost#start} finds. */
  public static final class Provider implements QueryNodeHost.Provider {
    @Override
    public QueryNodeHost start(QuiverConfig config, String id, String host, int port) {
      QueryNodeService node = QueryNodeService.open(config, id);
      QueryNodeServer server = null;
      try {
        server = QueryNodeServer.start(node, host, port,
            ClusterToken.fromEnvironment().orElse(null));
        String endpoint = advertised(host) + ":" + server.port();
        node.register(endpoint);
        return new FlightQueryNodeHost(node, server, endpoint);
      } catch (RuntimeException e) {
        if (server != null) {
          server.close();
        }
        node.close();
        throw e;
      }
    }
  }

  /** The address others reach a server at: the bound one, or this host's name. */
  static String advertised(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? Endpoints.hostName() : host;
  }

  @Override
  public String id() {
    return node.id();
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  @Override
  public int port() {
    return server.port();
  }

  /** Stops serving (calls in flight end), then closes the node, which ends its session. */
  @Override
  public void close() {
    server.close();
    node.close();
  }
}
