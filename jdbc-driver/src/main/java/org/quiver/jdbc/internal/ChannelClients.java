package org.quiver.jdbc.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.ConnectionConfigImpl;
import org.apache.calcite.avatica.ConnectionProperty;
import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactory;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactoryImpl;
import org.apache.calcite.avatica.remote.HostnameVerificationConfigurable.HostnameVerification;
import org.apache.calcite.avatica.remote.KerberosConnection;

/**
 * The transport of Quiver's driver, as Avatica's pluggable client ({@code httpclient_factory}):
 * the server's channel ({@link ChannelClient}) where it offers one, else Avatica's own HTTP
 * client. The connection property {@code transport} chooses: {@code auto} (the default) takes the
 * channel when the server offers it and falls back to HTTP when it does not (a stock Avatica
 * server, an older Quiver, a server without the channel, a port that does not answer within a
 * second: then HTTP only for that URL for a minute, so that a blocked port does not cost every
 * connect); {@code channel} fails with 08001 instead of falling back; {@code http} never tries.
 * The channel carries a user and password (Avatica's BASIC or DIGEST properties) and TLS with
 * Avatica's trust store and hostname settings; a connection that needs more (Kerberos, a bearer
 * token, a client certificate, load balancing) goes over HTTP.
 */
public final class ChannelClients implements AvaticaHttpClientFactory {
  /** The one instance, as Avatica's plugin loading looks it up. */
  public static final ChannelClients INSTANCE = new ChannelClients();

  /** The transport a connection uses: {@code auto}, {@code channel} or {@code http}. */
  public static final ConnectionProperty TRANSPORT = new TransportProperty();

  /** How long the channel may take to accept a connection (and discovery to answer). */
  static final int CONNECT_TIMEOUT_MS = 1_000;
  /**
   * How long the TLS handshake and the answer to the hello may take: a first login verifies a
   * PBKDF2 hash, a large fraction of a second by design.
   */
  static final int HELLO_TIMEOUT_MS = 10_000;
  private static final long RETRY_AFTER_NANOS = TimeUnit.MINUTES.toNanos(1);
  static final String CONNECTION_FAILURE = "08001";
  static final int CONNECTION_FAILURE_CODE = 5002;
  static final String INVALID_PARAMETER_VALUE = "22023";
  static final int INVALID_PARAMETER_VALUE_CODE = 2002;

  /** Server URLs whose channel could not be used, with the time to try again. */
  private static final Map<String, Long> NO_CHANNEL_UNTIL = new ConcurrentHashMap<>();

  private ChannelClients() {}

  @Override
  public AvaticaHttpClient getClient(URL url, ConnectionConfig config,
      KerberosConnection kerberos) {
    String transport = config.customPropertyValue(TRANSPORT).getString()
        .toLowerCase(Locale.ROOT);
    switch (transport) {
      case "http" -> {
        return http(url, config, kerberos);
      }
      case "auto", "channel" -> { }
      default -> throw new AvaticaClientRuntimeException("transport must be auto, channel or "
          + "http, got " + transport, INVALID_PARAMETER_VALUE_CODE, INVALID_PARAMETER_VALUE,
          AvaticaSeverity.ERROR, List.of(), null);
    }
    boolean required = transport.equals("channel");
    String unsupported = unsupported(config, kerberos);
    if (unsupported != null && required) {
      throw failure(url, "the channel cannot carry " + unsupported);
    }
    Long until = NO_CHANNEL_UNTIL.get(url.toString());
    if (unsupported != null || (!required && until != null && until - System.nanoTime() > 0)) {
      return http(url, config, kerberos);
    }
    try {
      ChannelClient client = ChannelClient.open(url, discover(url, config), config);
      NO_CHANNEL_UNTIL.remove(url.toString());
      return client;
    } catch (ChannelClient.Refused refused) {
      if (refused.status() == ChannelProtocol.UNAUTHORIZED || required) {
        throw refused.toException();
      }
      if (refused.status() != ChannelProtocol.BUSY) {
        // Another protocol version, say: this server's channel is of no use for now.
        NO_CHANNEL_UNTIL.put(url.toString(), System.nanoTime() + RETRY_AFTER_NANOS);
      }
      return http(url, config, kerberos);
    } catch (IOException | GeneralSecurityException e) {
      if (required) {
        throw failure(url, e.getMessage());
      }
      NO_CHANNEL_UNTIL.put(url.toString(), System.nanoTime() + RETRY_AFTER_NANOS);
      return http(url, config, kerberos);
    }
  }

  private static AvaticaHttpClient http(URL url, ConnectionConfig config,
      KerberosConnection kerberos) {
    return AvaticaHttpClientFactoryImpl.getInstance().getClient(url, config, kerberos);
  }

  private static AvaticaClientRuntimeException failure(URL url, String reason) {
    return new AvaticaClientRuntimeException("cannot open Quiver's channel to " + url
        + " (transport=channel): " + reason, CONNECTION_FAILURE_CODE, CONNECTION_FAILURE,
        AvaticaSeverity.ERROR, List.of(), null);
  }

  /** What in {@code config} the channel cannot carry, or null if it can carry it all. */
  private static String unsupported(ConnectionConfig config, KerberosConnection kerberos) {
    String authentication = config.authentication();
    if (kerberos != null || (authentication != null
        && !authentication.equals(AuthenticationType.BASIC.name())
        && !authentication.equals(AuthenticationType.DIGEST.name())
        && !authentication.equals(AuthenticationType.NONE.name()))) {
      return "authentication " + authentication;
    }
    if (config.getBearerToken() != null
        || (config.getTokenFile() != null && !config.getTokenFile().isEmpty())) {
      return "a bearer token";
    }
    if (config.keystore() != null) {
      return "a client certificate (keystore)";
    }
    if (config.useClientSideLb()) {
      return "load balancing (use_client_side_lb)";
    }
    return null;
  }

  /** The server's channel offer, asked at {@link ChannelProtocol#DISCOVERY_PATH}. */
  private static ChannelProtocol.Offer discover(URL url, ConnectionConfig config)
      throws IOException, GeneralSecurityException {
    HttpURLConnection http =
        (HttpURLConnection) new URL(url, ChannelProtocol.DISCOVERY_PATH).openConnection();
    if (http instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls(config).getSocketFactory());
      if (config.hostnameVerification() == HostnameVerification.NONE) {
        https.setHostnameVerifier((host, session) -> true);
      }
    }
    http.setConnectTimeout(CONNECT_TIMEOUT_MS);
    http.setReadTimeout(CONNECT_TIMEOUT_MS);
    try {
      int status = http.getResponseCode();
      if (status != HttpURLConnection.HTTP_OK) {
        throw new IOException("the server offers no channel (" + ChannelProtocol.DISCOVERY_PATH
            + " answered HTTP " + status + ")");
      }
      try (InputStream in = http.getInputStream()) {
        return ChannelProtocol.Offer.parse(
            new String(in.readNBytes(4096), StandardCharsets.UTF_8));
      }
    } finally {
      http.disconnect();
    }
  }

  /** TLS as Avatica's HTTP client would set it up: the configured trust store, or the JDK's. */
  static SSLContext tls(ConnectionConfig config) throws IOException, GeneralSecurityException {
    File trusted = config.truststore();
    if (trusted == null) {
      return SSLContext.getDefault();
    }
    KeyStore store = KeyStore.getInstance(config.keystoreType() != null
        ? config.keystoreType() : KeyStore.getDefaultType());
    String password = config.truststorePassword();
    try (InputStream in = Files.newInputStream(trusted.toPath())) {
      store.load(in, password == null ? null : password.toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** The {@code transport} connection property, read through Avatica's own property parsing. */
  private static final class TransportProperty implements ConnectionProperty {
    @Override
    public String name() {
      return "TRANSPORT";
    }

    @Override
    public String camelName() {
      return "transport";
    }

    @Override
    public Object defaultValue() {
      return "auto";
    }

    @Override
    public Type type() {
      return Type.STRING;
    }

    @Override
    public ConnectionConfigImpl.PropEnv wrap(Properties properties) {
      return new ConnectionConfigImpl.PropEnv(
          ConnectionConfigImpl.parse(properties, Map.of(name(), this)), this);
    }

    @Override
    public boolean required() {
      return false;
    }

    @Override
    public Class<?> valueClass() {
      return String.class;
    }
  }
}
