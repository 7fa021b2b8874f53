package org.quiver.engine.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;
import org.quiver.engine.api.EngineHost;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * The secret every process of a cluster shares, so that only they call one another: a proxy its
 * coordinator's engine, the coordinator its query nodes. It travels as a bearer token in each
 * call's {@code authorization} header, and a server that has one refuses a call without it
 * (UNAUTHENTICATED, which the caller sees as 28000). It comes from the environment variable
 * {@value #ENVIRONMENT}, never from a command line (which other users of a machine can read).
 *
 * <p>Without a token the ports answer anyone who reaches them, so a server without one listens
 * only on loopback: any other address is refused, as the SQL doors refuse one without users.
 */
public final class ClusterToken {
  /** The environment variable that holds the token: {@value}. */
  public static final String ENVIRONMENT = EngineHost.CLUSTER_TOKEN_ENVIRONMENT;

  private ClusterToken() {}

  /** The token of this process's environment, if it has one. */
  public static Optional<String> fromEnvironment() {
    return Optional.ofNullable(System.getenv(ENVIRONMENT)).filter(t -> !t.isBlank());
  }

  /**
   * Refuses to serve {@code what} on {@code host} without a token unless {@code host} is a
   * loopback address: 28000 naming the address and the variable that would allow it.
   */
  static void requireFor(String host, String token, String what) {
    if (token == null && !isLoopback(host)) {
      throw QuiverException.of(ErrorCode.INVALID_AUTHORIZATION, "refusing to serve the %s on %s"
          + " without a cluster token: anyone on the network could call it. Give every process"
          + " of the cluster the same secret in %s, or bind to 127.0.0.1", what, host, ENVIRONMENT);
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The server's check of each call's header against {@code token}. */
  static CallHeaderAuthenticator authenticator(String token) {
    byte[] expected = (Auth2Constants.BEARER_PREFIX + token).getBytes(StandardCharsets.UTF_8);
    return headers -> {
      String given = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
      // Compared in constant time: the comparison must not tell how much of a guess was right.
      if (given == null
          || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
        throw CallStatus.UNAUTHENTICATED.withDescription(given == null
            ? "this Quiver process takes calls only with its cluster's token"
            : "the cluster token does not match this Quiver process's").toRuntimeException();
      }
      return () -> "cluster";
    };
  }

  /** What puts {@code token} in the header of each call of a client. */
  static FlightClientMiddleware.Factory sender(String token) {
    String value = Auth2Constants.BEARER_PREFIX + token;
    return (CallInfo info) -> new FlightClientMiddleware() {
      @Override
      public void onBeforeSendingHeaders(CallHeaders outgoing) {
        outgoing.insert(Auth2Constants.AUTHORIZATION_HEADER, value);
      }

      @Override
      public void onHeadersReceived(CallHeaders incoming) {}

      @Override
      public void onCallCompleted(CallStatus status) {}
    };
  }
}
