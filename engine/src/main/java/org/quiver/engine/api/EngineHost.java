package org.quiver.engine.api;

import java.util.ServiceLoader;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * An engine of this process served to proxies in other processes ({@code ./quiver serve --role
 * coordinator} serves its engine so, {@code --role proxy} calls it): every call of {@link Engine}
 * crosses the wire as plain values, so a proxy runs the SQL doors over {@link Engine#open} of a
 * configuration that names the coordinator ({@link QuiverConfig#coordinator}). Closing the host
 * stops serving; the engine stays its owner's.
 */
public interface EngineHost extends AutoCloseable {
  /**
   * The environment variable that holds the secret every process of a cluster shares: with it,
   * the coordinator's engine port and the query nodes' ports take calls only from processes that
   * carry it; without it they listen only on loopback. Kept in the environment, never on a
   * command line, which other users of a machine can read.
   */
  String CLUSTER_TOKEN_ENVIRONMENT = "QUIVER_CLUSTER_TOKEN";

  /**
   * Serves {@code engine} on {@code host:port} (port 0: a free one).
   *
   * @throws QuiverException 0A000 when no module on the class path serves engines
   *     (quiver-engine-cluster does), 58030 when the port cannot be bound
   */
  static EngineHost serve(Engine engine, String host, int port) {
    return provider().serve(engine, host, port);
  }

  /** The provider of the module that carries engine calls between processes. */
  static Provider provider() {
    return ServiceLoader.load(Provider.class, EngineHost.class.getClassLoader()).findFirst()
        .orElseThrow(() -> QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
            "a proxy and its coordinator need quiver-engine-cluster on the class path"));
  }

  /** The {@code host:port} proxies reach the engine at. */
  String endpoint();

  /** The port it listens on. */
  int port();

  @Override
  void close();

  /** What serves and calls engines across processes: a module registers it with ServiceLoader. */
  interface Provider {
    EngineHost serve(Engine engine, String host, int port);

    /** An engine whose every call goes to the coordinator {@code config} names. */
    Engine connect(QuiverConfig config);
  }
}
