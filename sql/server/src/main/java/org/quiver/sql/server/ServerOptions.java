package org.quiver.sql.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.quiver.engine.api.QuiverConfig;

/**
 * How {@code quiver serve} runs: where the data is, where it listens, TLS and connection limits.
 *
 * @param maxConnections open TCP connections at most on each listener (HTTP and the channel
 *     count apart); more HTTP connections wait until one closes, more channels are refused and
 *     their clients fall back to HTTP
 * @param idleTimeout after which an idle HTTP connection or channel, and an unused JDBC
 *     connection with its statements, are closed
 * @param channelPort where Quiver's driver finds the channel ({@link ChannelDoor}): 0 any free
 *     port, {@link #CHANNEL_OFF} none
 * @param catalog the engine's catalog in a shared store (etcd://...), or null for the data folder
 * @param log the engine's log in a shared service (kafka://...), or null for the data folder
 * @param segments the object store of the engine's segment and index files (s3://...), or null
 *     for the data folder only
 */
public record ServerOptions(Path data, String host, int port, Tls tls, int maxConnections,
    Duration idleTimeout, int channelPort, URI catalog, URI log, URI segments) {
  public static final int DEFAULT_PORT = 8765;
  /** The channel's port for {@code quiver serve}; servers started from code take any free port. */
  public static final int DEFAULT_CHANNEL_PORT = 8766;
  /** The {@link #channelPort} of a server without the channel. */
  public static final int CHANNEL_OFF = -1;
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  public ServerOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    if (channelPort < CHANNEL_OFF || channelPort > 65535) {
      throw new IllegalArgumentException("channel port must be in [0, 65535] or off, got "
          + channelPort);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max connections must be at least 1, got "
          + maxConnections);
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("idle timeout must be at least 1 s, got " + idleTimeout);
    }
    QuiverConfig.requireServiceLocation("--catalog", catalog);
    QuiverConfig.requireServiceLocation("--log", log);
    QuiverConfig.requireServiceLocation("--segments", segments);
  }

  /** The given address and port, no TLS, default limits, the channel on any free port. */
  public static ServerOptions of(Path data, String host, int port) {
    return new ServerOptions(data, host, port, null, DEFAULT_MAX_CONNECTIONS,
        DEFAULT_IDLE_TIMEOUT, 0, null, null, null);
  }

  public ServerOptions withTls(Tls newTls) {
    return new ServerOptions(data, host, port, newTls, maxConnections, idleTimeout, channelPort,
        catalog, log, segments);
  }

  public ServerOptions withLimits(int newMaxConnections, Duration newIdleTimeout) {
    return new ServerOptions(data, host, port, tls, newMaxConnections, newIdleTimeout,
        channelPort, catalog, log, segments);
  }

  /** The channel on {@code newChannelPort} (0: any free port, {@link #CHANNEL_OFF}: none). */
  public ServerOptions withChannelPort(int newChannelPort) {
    return new ServerOptions(data, host, port, tls, maxConnections, idleTimeout, newChannelPort,
        catalog, log, segments);
  }

  /** The engine's catalog and log in shared services (null: in the data folder). */
  public ServerOptions withServices(URI newCatalog, URI newLog) {
    return new ServerOptions(data, host, port, tls, maxConnections, idleTimeout, channelPort,
        newCatalog, newLog, segments);
  }

  /** The engine's segment and index files in an object store (null: in the data folder only). */
  public ServerOptions withSegments(URI newSegments) {
    return new ServerOptions(data, host, port, tls, maxConnections, idleTimeout, channelPort,
        catalog, log, newSegments);
  }

  /**
   * Where the server's certificate and key come from: PEM files, or a PKCS12/JKS key store.
   *
   * @param keystorePassword for {@code keystore}; unused with PEM files
   */
  public record Tls(Path certificate, Path key, Path keystore, String keystorePassword) {
    public Tls {
      if ((keystore == null) == (certificate == null || key == null)
          || (keystore != null && (certificate != null || key != null))) {
        throw new IllegalArgumentException(
            "TLS needs either --tls-cert and --tls-key (PEM) or --keystore");
      }
    }

    public static Tls pem(Path certificate, Path key) {
      return new Tls(certificate, key, null, null);
    }

    public static Tls keystore(Path keystore, String password) {
      return new Tls(null, null, keystore, password == null ? "" : password);
    }
  }
}
