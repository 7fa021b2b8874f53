package org.quiver.sql.flight;

import io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Collections;
import java.util.function.Consumer;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.GeneratedBearerTokenAuthenticator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.jdbc.EngineRegistry;
import org.quiver.sql.server.AccessControl;
import org.quiver.sql.server.ServerOptions;

/**
 * The Arrow Flight SQL door of {@code quiver serve}: a gRPC server on its own port, with the same
 * bind address, users and TLS certificate as the Avatica server. With users, clients
 * authenticate with Flight's basic-auth handshake (user and password, as HTTP BASIC) and then
 * carry the bearer token it returns; without users only loopback addresses are allowed.
 */
public final class FlightSqlServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 8815;
  /** gRPC's flow-control window per stream: room for about three 128-d ingest batches. */
  private static final int INGEST_WINDOW_BYTES = 16 << 20;

  private final EngineRegistry.Handle engine;
  private final BufferAllocator allocator;
  private final QuiverFlightSqlProducer producer;
  private final FlightServer server;
  private final boolean tls;

  private FlightSqlServer(EngineRegistry.Handle engine, BufferAllocator allocator,
      QuiverFlightSqlProducer producer, FlightServer server, boolean tls) {
    this.engine = engine;
    this.allocator = allocator;
    this.producer = producer;
    this.server = server;
    this.tls = tls;
  }

  /**
   * Serves the data directory of {@code options} on {@code options.host()} and {@code port}
   * (0: any free port).
   *
   * @throws IllegalStateException without users on an address that is not loopback
   * @throws SQLException 58030 if the users file or TLS files cannot be read, 08001 if the port
   *     cannot be bound
   */
  public static FlightSqlServer start(ServerOptions options, int port) throws SQLException {
    UserStore users = new UserStore(options.data());
    boolean hasUsers;
    try {
      hasUsers = !users.users().isEmpty();
    } catch (IOException e) {
      throw ioError(e);
    }
    boolean loopback = isLoopback(options.host());
    if (!hasUsers && !loopback) {
      throw new IllegalStateException("refusing to serve Flight SQL on " + options.host()
          + " without users: add a user first (./quiver user add NAME), or bind to 127.0.0.1");
    }
    String location = "file:" + options.data().toAbsolutePath().normalize();
    EngineRegistry.Handle engine = EngineRegistry.acquire(location);
    BufferAllocator allocator = new RootAllocator();
    QuiverFlightSqlProducer producer = null;
    try {
      AccessControl access = new AccessControl(users,
          () -> engine.engine().aliases(), loopback);
      producer = new QuiverFlightSqlProducer(allocator, engine.engine(), users, access,
          location, options.idleTimeout());
      Location where = options.tls() == null
          ? Location.forGrpcInsecure(options.host(), port)
          : Location.forGrpcTls(options.host(), port);
      FlightServer.Builder builder = FlightServer.builder(allocator, where, producer);
      builder.headerAuthenticator(authenticator(users, access));
      // gRPC's default 1 MiB window holds a fifth of a 10,000-row 128-d batch: the client stalls
      // while the engine writes the previous batch. A window of a few batches lets the next one
      // arrive during that write; FlightStream still bounds what is queued.
      builder.transportHint("grpc.builderConsumer",
          (Consumer<NettyServerBuilder>) netty -> netty.flowControlWindow(INGEST_WINDOW_BYTES));
      if (options.tls() != null) {
        byte[][] pem = pem(options.tls());
        builder.useTls(new ByteArrayInputStream(pem[0]), new ByteArrayInputStream(pem[1]));
      }
      FlightServer server = builder.build();
      server.start();
      return new FlightSqlServer(engine, allocator, producer, server, options.tls() != null);
    } catch (IOException e) {
      close(producer, allocator, engine);
      if (e.getCause() instanceof java.net.BindException || e.getMessage() != null
          && e.getMessage().contains("bind")) {
        throw new SQLException("cannot listen on " + options.host() + ":" + port + " for Flight "
            + "SQL: " + e.getMessage(), ErrorCode.CONNECTION_FAILURE.sqlState(),
            ErrorCode.CONNECTION_FAILURE.code(), e);
      }
      throw ioError(e);
    } catch (RuntimeException e) {
      close(producer, allocator, engine);
      throw e;
    }
  }

  private static void close(QuiverFlightSqlProducer producer, BufferAllocator allocator,
      EngineRegistry.Handle engine) {
    try {
      if (producer != null) {
        producer.close();
      }
      allocator.close();
    } finally {
      engine.close();
    }
  }

  /**
   * Basic credentials checked against the users file, then a bearer token for the session. A
   * loopback server without users asks for none, until the first user is added (as the Avatica
   * server does).
   */
  private static CallHeaderAuthenticator authenticator(UserStore users, AccessControl access) {
    BasicCallHeaderAuthenticator.CredentialValidator check = (name, password) -> {
      boolean ok;
      try {
        ok = users.authenticate(name, password.toCharArray()).isPresent();
      } catch (IOException e) {
        throw CallStatus.INTERNAL.withDescription("cannot read the users file: "
            + e.getMessage()).toRuntimeException();
      }
      if (!ok) {
        throw FlightErrors.status("28P01", "password authentication failed for user '"
            + name + "'").toRuntimeException();
      }
      return () -> name;
    };
    CallHeaderAuthenticator withUsers =
        new GeneratedBearerTokenAuthenticator(new BasicCallHeaderAuthenticator(check));
    return headers -> access.openWithoutUsers() ? () -> "" : withUsers.authenticate(headers);
  }

  /** The certificate chain and PKCS#8 key as PEM, from PEM files or a key store. */
  private static byte[][] pem(ServerOptions.Tls tls) throws IOException {
    if (tls.keystore() == null) {
      return new byte[][] {Files.readAllBytes(tls.certificate()), Files.readAllBytes(tls.key())};
    }
    try {
      String type = tls.keystore().toString().endsWith(".jks") ? "JKS" : "PKCS12";
      KeyStore store = KeyStore.getInstance(type);
      try (InputStream in = Files.newInputStream(tls.keystore())) {
        store.load(in, tls.keystorePassword().toCharArray());
      }
      for (String alias : Collections.list(store.aliases())) {
        Key key = store.getKey(alias, tls.keystorePassword().toCharArray());
        if (key instanceof PrivateKey) {
          StringBuilder chain = new StringBuilder();
          for (Certificate c : store.getCertificateChain(alias)) {
            chain.append(block("CERTIFICATE", c.getEncoded()));
          }
          return new byte[][] {chain.toString().getBytes(StandardCharsets.US_ASCII),
              block("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII)};
        }
      }
      throw new IOException(tls.keystore() + " holds no private key");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the key store " + tls.keystore() + ": " + e.getMessage(),
          e);
    }
  }

  private static String block(String kind, byte[] der) {
    return "-----BEGIN " + kind + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + kind + "-----\n";
  }

  private static boolean isLoopback(String host) throws SQLException {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      throw new SQLException("cannot resolve the address to bind, " + host + ": " + e.getMessage(),
          ErrorCode.CONNECTION_FAILURE.sqlState(), ErrorCode.CONNECTION_FAILURE.code(), e);
    }
  }

  private static SQLException ioError(IOException e) {
    return new SQLException(e.getMessage(), ErrorCode.IO_ERROR.sqlState(),
        ErrorCode.IO_ERROR.code(), e);
  }

  public int port() {
    return server.getPort();
  }

  /** The URL for the stock Arrow Flight SQL JDBC driver. */
  public String jdbcUrl(String host) {
    return "jdbc:arrow-flight-sql://" + host + ":" + port() + "/?useEncryption=" + tls;
  }

  /** Stops accepting calls, lets the calls in flight finish (at most 30 s), then closes. */
  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        server.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close(producer, allocator, engine);
      }
    }
  }
}
