package org.quiver.engine.cluster;

import org.quiver.engine.Quiver;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.EngineHost;
import org.quiver.engine.api.QuiverConfig;

/**
 * An engine served to proxies over Arrow Flight ({@link EngineServer}), and a proxy's engine
 * ({@link RemoteEngine}), both with the token of the process's environment ({@link
 * ClusterToken}).
 */
public final class FlightEngineHost implements EngineHost {
  private final EngineServer server;
  private final String endpoint;

  private FlightEngineHost(EngineServer server, String endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /** The provider {@link EngineHost#serve} and a proxy's {@link Engine#open} find. */
  public static final class Provider implements EngineHost.Provider {
    @Override
    public EngineHost serve(Engine engine, String host, int port) {
      EngineServer server = EngineServer.start(engine, host, port,
          ClusterToken.fromEnvironment().orElse(null));
      String endpoint = FlightQueryNodeHost.advertised(host) + ":" + server.port();
      if (engine instanceof Quiver coordinator) {
        try {
          coordinator.advertise(endpoint);
        } catch (RuntimeException e) {
          server.close();
          throw e;
        }
      }
      return new FlightEngineHost(server, endpoint);
    }

    @Override
    public Engine connect(QuiverConfig config) {
      return new RemoteEngine(config, ClusterToken.fromEnvironment().orElse(null));
    }
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  @Override
  public int port() {
    return server.port();
  }

  /** Stops serving (calls in flight end); the engine stays open. */
  @Override
  public void close() {
    server.close();
  }
}
