package org.quiver.engine.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.arrow.flight.Location;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/** Where a client of another Quiver process connects: {@code host:port}, as sessions give it. */
final class Endpoints {
  private Endpoints() {}

  /** This machine's name, as others may reach it; loopback's address when it has none. */
  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  /**
   * The Flight location of {@code endpoint}, {@code host:port} (an IPv6 host in brackets); 22023
   * naming {@code what} ("a query node", "a coordinator") and the value when it is not that.
   */
  static Location location(String endpoint, String what) {
    int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
    int port;
    try {
      port = colon < 1 ? -1 : Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65_535) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "%s's location is host:port, got '%s'", what, endpoint);
    }
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return Location.forGrpcInsecure(host, port);
  }
}
