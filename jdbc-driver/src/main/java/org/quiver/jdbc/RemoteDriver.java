package org.quiver.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.InternalProperty;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;

/**
 * Avatica's remote driver under Quiver's URL prefix: the protobuf-over-HTTP client that the thin
 * driver uses for {@code jdbc:quiver:remote:}. Not registered with DriverManager itself.
 *
 * <p>Avatica answers the identifier rules of DatabaseMetaData on the client, from properties that
 * default to upper-case folding; a Quiver connection states the server's rules instead: unquoted
 * identifiers fold to lower case, quoted ones keep their case, quotes are double quotes.
 */
final class RemoteDriver extends org.apache.calcite.avatica.remote.Driver {
  static final String PREFIX = "jdbc:quiver:remote-avatica:";

  @Override
  protected String getConnectStringPrefix() {
    return PREFIX;
  }

  @Override
  protected DriverVersion createDriverVersion() {
    return QuiverDriver.VERSION;
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    Connection c = super.connect(url, info);
    if (c instanceof AvaticaConnection avatica) {
      avatica.properties.put(InternalProperty.CASE_SENSITIVE, true);
      avatica.properties.put(InternalProperty.UNQUOTED_CASING, Casing.TO_LOWER);
      avatica.properties.put(InternalProperty.QUOTED_CASING, Casing.UNCHANGED);
      avatica.properties.put(InternalProperty.QUOTING, Quoting.DOUBLE_QUOTE);
    }
    return c;
  }
}
