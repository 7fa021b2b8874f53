package org.quiver.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Iterator;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import org.apache.calcite.avatica.DriverVersion;
import org.quiver.jdbc.internal.VectorJdbc;
import org.quiver.jdbc.spi.EmbeddedConnector;

/**
 * The {@code jdbc:quiver:} driver.
 *
 * <ul>
 *   <li>{@code jdbc:quiver:remote:http://host:8765} (or {@code https://}) connects to
 *       {@code quiver serve} over Avatica (protobuf); more properties may follow after {@code ;}
 *       as {@code key=value}. The {@code user} and {@code password} properties authenticate
 *       (HTTP BASIC); {@code tlsCertificate} names a PEM certificate to trust.
 *   <li>{@code jdbc:quiver:file:/path/to/data} opens an embedded engine on a data directory, and
 *       {@code jdbc:quiver:mem:} a temporary one; both need quiver-sql on the class path.
 * </ul>
 */
public final class QuiverDriver implements java.sql.Driver {
  public static final String PREFIX = "jdbc:quiver:";
  public static final String REMOTE_PREFIX = PREFIX + "remote:";
  static final DriverVersion VERSION =
      new DriverVersion("Quiver JDBC Driver", "0.1.0", "Quiver", "0.1.0", true, 0, 1, 0, 1);

  static {
    try {
      DriverManager.registerDriver(new QuiverDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final RemoteDriver remote = new RemoteDriver();
  private volatile EmbeddedConnector embedded;

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    if (url.startsWith(REMOTE_PREFIX)) {
      return connectRemote(url.substring(REMOTE_PREFIX.length()), info);
    }
    EmbeddedConnector connector = embedded();
    Connection c = connector.connect(url, info);
    return VectorJdbc.wrap(c, new VectorJdbc.Options(vectorObjects(info),
        connector::translate, connector));
  }

  private Connection connectRemote(String rest, Properties info) throws SQLException {
    String address = rest;
    String extra = "";
    int semi = rest.indexOf(';');
    if (semi >= 0) {
      address = rest.substring(0, semi);
      extra = rest.substring(semi);
    }
    if (!address.startsWith("http://") && !address.startsWith("https://")) {
      throw new SQLException("invalid Quiver URL: expected " + REMOTE_PREFIX
          + "http://host:port, got " + REMOTE_PREFIX + rest, "08001");
    }
    Connection c = RemoteConnections.connect(remote, address, extra, info);
    return VectorJdbc.wrap(c, new VectorJdbc.Options(vectorObjects(info),
        RemoteConnections::translate, null));
  }

  private static VectorJdbc.VectorObjects vectorObjects(Properties info) {
    String mode = info == null ? null : info.getProperty("vectorObjects");
    if ("text".equalsIgnoreCase(mode)) {
      return VectorJdbc.VectorObjects.TEXT;
    }
    if (VectorJdbc.BINARY.equalsIgnoreCase(mode)) {
      return VectorJdbc.VectorObjects.BINARY;
    }
    return "abbreviated".equalsIgnoreCase(mode)
        ? VectorJdbc.VectorObjects.ABBREVIATED
        : VectorJdbc.VectorObjects.FLOAT_ARRAY;
  }

  private EmbeddedConnector embedded() throws SQLException {
    EmbeddedConnector c = embedded;
    if (c == null) {
      Iterator<EmbeddedConnector> found =
          ServiceLoader.load(EmbeddedConnector.class, QuiverDriver.class.getClassLoader()).iterator();
      if (!found.hasNext()) {
        throw new SQLException("embedded Quiver URLs (jdbc:quiver:file:, jdbc:quiver:mem:) need "
            + "quiver-sql on the class path; the thin driver alone supports " + REMOTE_PREFIX
            + "http://host:port", "08001");
      }
      c = embedded = found.next();
    }
    return c;
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return VERSION.majorVersion;
  }

  @Override
  public int getMinorVersion() {
    return VERSION.minorVersion;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger", "0A000");
  }
}
