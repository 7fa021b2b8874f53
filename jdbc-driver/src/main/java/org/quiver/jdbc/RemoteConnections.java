package org.quiver.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.quiver.jdbc.internal.ChannelClients;
import org.quiver.jdbc.internal.VectorJdbc;

/**
 * Opens {@code jdbc:quiver:remote:} connections: asks the server for binary vectors and its
 * channel ({@link ChannelClients}), maps the
 * JDBC {@code user}/{@code password}
 * properties to Avatica's HTTP BASIC authentication, turns a PEM certificate into the trust store
 * Avatica reads, and reports authentication failures (HTTP 401) as SQLSTATE 28000.
 */
final class RemoteConnections {
  /** Property naming a PEM file with the server's certificate (or its CA) to trust over https. */
  static final String TLS_CERTIFICATE = "tlsCertificate";

  static final String INVALID_AUTHORIZATION = "28000";
  static final int INVALID_AUTHORIZATION_CODE = 5001;
  static final String INVALID_PARAMETER_VALUE = "22023";
  static final int INVALID_PARAMETER_VALUE_CODE = 2002;
  private static final Pattern PARAMETER_INDEX =
      Pattern.compile("parameter ordinal -?\\d+ out of range");
  static final String CONNECTION_FAILURE = "08001";

  /** Trust stores made from PEM files, one per file for the life of the JVM. */
  private static final Map<Path, TrustStore> TRUST_STORES = new ConcurrentHashMap<>();

  private record TrustStore(Path file, String password) {}

  private RemoteConnections() {}

  static Connection connect(RemoteDriver remote, String address, String extra, Properties info)
      throws SQLException {
    Properties props = avaticaProperties(address, info);
    try {
      return remote.connect(
          RemoteDriver.PREFIX + "url=" + address + ";serialization=protobuf" + extra, props);
    } catch (SQLException | RuntimeException e) {
      throw translate(e, address, props.getProperty("avatica_user"));
    }
  }

  /**
   * Errors of a remote connection: authentication failures become 28000, and an error without a
   * SQL state (Avatica's batch errors) takes the state of the server's error inside it.
   */
  static SQLException translate(SQLException error) {
    if (authenticationFailed(error)) {
      return new SQLException("authentication failed: " + rootMessage(error),
          INVALID_AUTHORIZATION, INVALID_AUTHORIZATION_CODE, error);
    }
    if (error.getSQLState() != null) {
      return error;
    }
    if (PARAMETER_INDEX.matcher(String.valueOf(error.getMessage())).matches()) {
      // Avatica's client refuses a setter beyond the statement's parameters, without a state.
      return new SQLException(error.getMessage() + ": the statement has fewer parameters",
          INVALID_PARAMETER_VALUE, INVALID_PARAMETER_VALUE_CODE, error);
    }
    for (Throwable t = error.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SQLException inner && inner.getSQLState() != null) {
        return withState(error, inner.getMessage(), inner.getSQLState(), inner.getErrorCode());
      }
      if (t instanceof AvaticaClientRuntimeException inner && inner.getSqlState() != null) {
        return withState(error, inner.getMessage(), inner.getSqlState(),
            inner.getErrorCode());
      }
    }
    return error;
  }

  private static SQLException withState(SQLException error, String message, String state,
      int code) {
    return error instanceof BatchUpdateException batch
        ? new BatchUpdateException(message, state, code, batch.getLargeUpdateCounts(), error)
        : new SQLException(message, state, code, error);
  }

  private static SQLException translate(Exception error, String address, String user) {
    if (authenticationFailed(error)) {
      return new SQLException(user == null
          ? "authentication failed: " + address + " requires a user and password (properties "
              + "user and password)"
          : "authentication failed for user '" + user + "' at " + address
              + ": wrong user name or password",
          INVALID_AUTHORIZATION, INVALID_AUTHORIZATION_CODE, error);
    }
    if (error instanceof SQLException e) {
      return e;
    }
    // The server answered and refused with a state of its own (53300: too many connections).
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AvaticaClientRuntimeException refused && refused.getSqlState() != null
          && !refused.getSqlState().equals("00000")) {
        return new SQLException(refused.getMessage(), refused.getSqlState(),
            refused.getErrorCode(), error);
      }
    }
    return new SQLException("cannot connect to Quiver at " + address + ": " + rootMessage(error),
        CONNECTION_FAILURE, error);
  }

  private static Properties avaticaProperties(String address, Properties info)
      throws SQLException {
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    // Vectors as float32 bytes rather than text (the server answers a client that does not ask,
    // such as the stock Avatica driver, with text).
    props.setProperty(VectorJdbc.VECTOR_WIRE, VectorJdbc.TYPED);
    // The channel where the server offers one (property transport), unless the application
    // brought a client of its own.
    if (props.getProperty("httpclient_factory") == null) {
      props.setProperty("httpclient_factory", ChannelClients.class.getName());
    }
    String user = props.getProperty("user");
    if (user != null && !user.isEmpty() && props.getProperty("avatica_user") == null) {
      props.setProperty("authentication", "BASIC");
      props.setProperty("avatica_user", user);
      props.setProperty("avatica_password", props.getProperty("password", ""));
    }
    String certificate = props.getProperty(TLS_CERTIFICATE);
    if (certificate != null) {
      if (!address.startsWith("https://")) {
        throw new SQLException(TLS_CERTIFICATE + " needs an https:// URL, got " + address,
            CONNECTION_FAILURE);
      }
      TrustStore store = trustStore(Path.of(certificate).toAbsolutePath().normalize());
      props.setProperty("truststore", store.file().toString());
      props.setProperty("truststore_password", store.password());
    }
    return props;
  }

  private static TrustStore trustStore(Path pem) throws SQLException {
    try {
      return TRUST_STORES.computeIfAbsent(pem, p -> {
        try {
          return writeTrustStore(p);
        } catch (IOException | GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (IllegalStateException e) {
      throw new SQLException("cannot read the certificate in " + TLS_CERTIFICATE + "=" + pem
          + ": " + rootMessage(e), CONNECTION_FAILURE, e);
    }
  }

  private static TrustStore writeTrustStore(Path pem) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int n = 0;
    try (InputStream in = Files.newInputStream(pem)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("quiver-" + n++, c);
      }
    }
    if (n == 0) {
      throw new GeneralSecurityException("no certificate found");
    }
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    String password = Base64.getEncoder().encodeToString(secret);
    Path file = Files.createTempFile("quiver-truststore-", ".p12");
    file.toFile().deleteOnExit();
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return new TrustStore(file, password);
  }

  private static boolean authenticationFailed(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("got HTTP/401") || m.contains("got HTTP/403"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
