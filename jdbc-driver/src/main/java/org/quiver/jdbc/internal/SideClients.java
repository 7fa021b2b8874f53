package org.quiver.jdbc.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.MalformedURLException;
import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;

/**
 * Clients beside a remote connection's own, for the requests Quiver's driver sends itself (a
 * cancel, a batch): made as Avatica makes the connection's (its address, credentials, TLS
 * settings and {@code httpclient_factory}: the channel or HTTP, see {@link ChannelClients}).
 * Avatica's HTTP client keeps per-request state, so a request sent while the connection's client
 * is busy needs a client of its own; a channel client holds sockets of its own, closed with
 * {@link #close}.
 */
final class SideClients {
  /** SQLSTATE 08001 as the engine's catalogue names it (the thin driver cannot see it). */
  static final String CONNECTION_FAILURE = "08001";
  static final int CONNECTION_FAILURE_CODE = 5002;

  private SideClients() {}

  /** Closes {@code client} if it holds sockets of its own; null or an HTTP client stays as is. */
  static void close(AvaticaHttpClient client) {
    if (client instanceof AutoCloseable own) {
      try {
        own.close();
      } catch (Exception ignored) {
        // Closing a channel client only closes sockets; nothing is left to do if that fails.
      }
    }
  }

  /**
   * A new client for {@code connection}'s server.
   *
   * @throws SQLException 08001 if the connection balances its load over several servers (only
   *     Avatica's own client follows that) or its address is malformed
   */
  static AvaticaHttpClient of(AvaticaConnection connection) throws SQLException {
    ConnectionConfig config = connection.config();
    if (config.useClientSideLb() || config.url() == null) {
      throw new SQLException("Quiver's driver sends this request to one server; the connection "
          + "balances its load over several (use_client_side_lb)", CONNECTION_FAILURE,
          CONNECTION_FAILURE_CODE);
    }
    try {
      return config.httpClientFactory().getClient(new URI(config.url()).toURL(), config,
          connection.getKerberosConnection());
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
      throw new SQLException("bad server address " + config.url() + ": " + e.getMessage(),
          CONNECTION_FAILURE, CONNECTION_FAILURE_CODE, e);
    }
  }
}
