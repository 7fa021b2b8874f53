package org.quiver.sql.cli;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Collections;
import java.util.Properties;
import java.util.logging.Logger;
import org.quiver.jdbc.QuiverDriver;

/**
 * Quiver's driver as the console uses it: vectors come back abbreviated for reading
 * ({@code [0.12, -0.5, 0.3, 0.25, ... 128 dims]}). sqlline finds drivers through
 * {@link DriverManager} by URL, so {@link #install} puts this one in place of the plain
 * {@link QuiverDriver}, in the console's JVM only.
 */
final class ConsoleDriver implements Driver {
  private final QuiverDriver delegate = new QuiverDriver();

  private ConsoleDriver() {}

  /** Makes {@code jdbc:quiver:} URLs open through this driver in this JVM. */
  static void install() throws SQLException {
    for (Driver d : Collections.list(DriverManager.getDrivers())) {
      if (d instanceof QuiverDriver) {
        DriverManager.deregisterDriver(d);
      }
    }
    DriverManager.registerDriver(new ConsoleDriver());
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    Properties withDisplay = new Properties();
    if (info != null) {
      withDisplay.putAll(info);
    }
    withDisplay.setProperty("vectorObjects", "abbreviated");
    return delegate.connect(url, withDisplay);
  }

  @Override
  public boolean acceptsURL(String url) {
    return delegate.acceptsURL(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return delegate.getPropertyInfo(url, info);
  }

  @Override
  public int getMajorVersion() {
    return delegate.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return delegate.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }
}
