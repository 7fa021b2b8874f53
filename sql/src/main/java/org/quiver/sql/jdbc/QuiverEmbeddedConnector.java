package org.quiver.sql.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.SchemaPlus;
import org.quiver.grammar.ParserSettings;
import org.quiver.jdbc.QuiverDriver;
import org.quiver.jdbc.spi.EmbeddedConnector;
import org.quiver.sql.ddl.QuiverDdlExecutor;
import org.quiver.sql.error.SqlErrors;
import org.quiver.sql.schema.QuiverSchema;
import org.quiver.sql.schema.Session;

/**
 * The embedded side of {@code jdbc:quiver:file:} and {@code jdbc:quiver:mem:}: opens a Calcite
 * connection configured for Quiver's SQL dialect.
 */
public final class QuiverEmbeddedConnector implements EmbeddedConnector {
  private static final EmbeddedDriver DRIVER = new EmbeddedDriver();

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    String location = url.substring(QuiverDriver.PREFIX.length());
    if (!location.startsWith("file:") && !location.startsWith("mem:")) {
      throw new SQLException("invalid Quiver URL " + url + ": expected jdbc:quiver:file:<dir>, "
          + "jdbc:quiver:mem:[name] or jdbc:quiver:remote:http://host:port", "08001");
    }
    Properties p = new Properties();
    if (info != null) {
      p.putAll(info);
    }
    p.setProperty(EmbeddedDriver.LOCATION, location);
    p.setProperty("parserFactory", QuiverDdlExecutor.class.getName() + "#PARSER_FACTORY");
    // Identifiers as in PostgreSQL: unquoted ones fold to lower case, quoted ones (in double
    // quotes) keep theirs, and names match case-sensitively; all but the first are Calcite's
    // defaults. Calcite parses every property again each time it reads its configuration (twice
    // per execution, more per prepare), so only what differs from its defaults is set, and the
    // type factory and metadata factories are passed in code (QuiverJdbcFactory, EmbeddedDriver).
    p.setProperty("unquotedCasing", ParserSettings.CONFIG.unquotedCasing().name());
    try {
      return DRIVER.connect(EmbeddedDriver.PREFIX, p);
    } catch (SQLException e) {
      throw translate(e);
    } catch (RuntimeException e) {
      throw translate(new SQLException(e.getMessage(), null, e));
    }
  }

  @Override
  public SQLException translate(SQLException error) {
    return SqlErrors.translate(error);
  }

  @Override
  public int[] runBatch(Connection connection, BatchBody body) throws SQLException {
    Session session = session(connection);
    session.beginBatch();
    boolean ok = false;
    try {
      int[] counts = body.run();
      session.endBatch(true);
      ok = true;
      return counts;
    } catch (RuntimeException e) {
      throw translate(new SQLException(e.getMessage(), null, e));
    } finally {
      if (!ok) {
        session.endBatch(false);
      }
    }
  }

  @Override
  public BatchInsert batchInsert(Connection connection, String sql) throws SQLException {
    return ValuesBatchInsert.of(session(connection), sql);
  }

  private static Session session(Connection connection) throws SQLException {
    SchemaPlus schema = connection.unwrap(CalciteConnection.class).getRootSchema()
        .getSubSchema(QuiverSchema.NAME);
    QuiverSchema quiver = schema == null ? null : schema.unwrap(QuiverSchema.class);
    if (quiver == null) {
      throw new SQLException("not a Quiver connection", "08003");
    }
    return quiver.session();
  }
}
