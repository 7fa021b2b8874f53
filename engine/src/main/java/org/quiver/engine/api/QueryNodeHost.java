package org.quiver.engine.api;

import java.util.ServiceLoader;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * A cluster's query node running in this process ({@code ./quiver serve --role querynode}): it
 * opens the shared catalog, log and segments of a configuration, serves the coordinator on a port
 * and registers its session, so that the coordinator sends it work from then on. Closing it stops
 * serving, ends the session and lets go of what it held.
 */
public interface QueryNodeHost extends AutoCloseable {

  /**
   * Starts a query node named {@code id} over {@code config}'s shared services (all three are
   * needed: 22023 otherwise), its data directory a cache of segment files, listening on {@code
   * host:port} (port 0: a free one).
   *
   * @throws QuiverException 0A000 when no module on the class path provides query nodes
   *     (quiver-engine-cluster does), 08001 when a service does not answer
   */
  static QueryNodeHost start(QuiverConfig config, String id, String host, int port) {
    return ServiceLoader.load(Provider.class, QueryNodeHost.class.getClassLoader()).findFirst()
        .orElseThrow(() -> QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
            "a query node needs quiver-engine-cluster on the class path"))
        .start(config, id, host, port);
  }

  /** The node's id, its session's name. */
  String id();

  /** The {@code host:port} the coordinator reaches it at. */
  String endpoint();

  /** The port it listens on. */
  int port();

  @Override
  void close();

  /** What starts query nodes: a module registers one as a {@link ServiceLoader} service. */
  interface Provider {
    QueryNodeHost start(QuiverConfig config, String id, String host, int port);
  }
}
