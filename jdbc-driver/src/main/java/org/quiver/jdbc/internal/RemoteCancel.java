package org.quiver.jdbc.internal;

import java.sql.SQLException;
import java.sql.Statement;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.RemoteProtobufService;
import org.apache.calcite.avatica.remote.Service;

/**
 * {@code Statement.cancel()} for remote connections. Avatica's protocol has no cancel request, and
 * its own {@code cancel()} only marks the statement on the client, so Quiver's driver asks the
 * server, which runs {@code CANCEL STATEMENT n} for the statement's connection (see the server's
 * RunningStatements): the running query fails with 57014 in the executing thread.
 *
 * <p>The request travels on a client of its own ({@link SideClients}), closed once answered: the
 * connection's client is busy with the execution.
 */
final class RemoteCancel {
  private RemoteCancel() {}

  static void cancel(Statement statement) throws SQLException {
    AvaticaStatement avatica = statement.unwrap(AvaticaStatement.class);
    AvaticaConnection connection = avatica.getConnection();
    ConnectionConfig config = connection.config();
    int id = avatica.getId();
    AvaticaHttpClient client = SideClients.of(connection);
    try {
      Service service = new RemoteProtobufService(client, new ProtobufTranslationImpl());
      service.apply(new Service.PrepareAndExecuteRequest(connection.id, id,
          "CANCEL STATEMENT " + id, -1));
    } catch (RuntimeException e) {
      throw new SQLException("cannot send the cancel request of statement " + id + " to "
          + config.url() + ": " + e.getMessage(), SideClients.CONNECTION_FAILURE,
          SideClients.CONNECTION_FAILURE_CODE, e);
    } finally {
      SideClients.close(client);
    }
  }
}
