package org.quiver.jdbc;

import org.apache.calcite.avatica.DriverVersion;

/**
 * Avatica's remote driver under Quiver's URL prefix: the protobuf-over-HTTP client that the thin
 * driver uses for {@code jdbc:quiver:remote:}. Not registered with DriverManager itself.
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
}
