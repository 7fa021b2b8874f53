package org.quiver.sql.server;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.security.ConstraintMapping;
import org.eclipse.jetty.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.ConnectionLimit;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.security.Constraint;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.jdbc.QuiverDriver;
import org.quiver.jdbc.internal.PasswordRedaction;
import org.quiver.sql.auth.Caller;
import org.quiver.sql.auth.User;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.error.SqlErrors;
import org.quiver.sql.jdbc.EngineRegistry;

/**
 * The remote door: an Avatica HTTP server (protobuf) in front of embedded connections to one
 * engine, and beside it the channel ({@link ChannelDoor}), the same requests over a persistent
 * TCP connection for Quiver's driver. Vectors cross the wire as little-endian float32 byte strings for Quiver's driver and as
 * text for the stock Avatica driver ({@link LimitedJdbcMeta#serverSide}), and errors keep their
 * SQLSTATE, also for the stock Avatica driver.
 *
 * <p>With users in the data directory's users file, every request needs HTTP BASIC credentials
 * and read-only users cannot write; without users the server refuses any address but loopback,
 * and the first user created (in SQL or with {@code quiver user add}) turns authentication on
 * without a restart; connections opened before may then only close. Only a restart turns it off
 * again ({@link AccessControl#openWithoutUsers}).
 * {@code GET /health} is open to all, {@code GET /metrics} ({@link ServerMetrics}) needs the
 * same credentials as SQL.
 * On {@link #close} it stops accepting, lets the requests in flight finish, then closes the engine.
 */
public final class QuiverServer implements AutoCloseable {
  /** How long {@link #close} waits for the requests in flight. */
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final EngineRegistry.Handle engine;
  private final HttpServer http;
  /** Quiver's driver's transport, or null if the server has none. */
  private final ChannelDoor channel;
  private final ServerConnector connector;
  private final ServerOptions options;
  private final AccessControl access;
  private final EventLog log;

  private QuiverServer(EngineRegistry.Handle engine, HttpServer http, ChannelDoor channel,
      ServerConnector connector, ServerOptions options, AccessControl access, EventLog log) {
    this.log = log;
    this.engine = engine;
    this.http = http;
    this.channel = channel;
    this.connector = connector;
    this.options = options;
    this.access = access;
  }

  /** Opens the engine on {@code dataDirectory} and serves it on {@code host:port} (0: any port). */
  public static QuiverServer start(Path dataDirectory, String host, int port)
      throws SQLException {
    return start(ServerOptions.of(dataDirectory, host, port));
  }

  /**
   * Opens the engine and serves it as {@code options} say.
   *
   * @throws IllegalStateException if the data directory has no users and the address is not
   *     loopback: an open door to the network is never the default
   * @throws SQLException 58030 if the users file or the TLS files cannot be read
   */
  public static QuiverServer start(ServerOptions options) throws SQLException {
    return start(options, ServerLimits.DEFAULT);
  }

  /** Opens the engine and serves it as {@code options} say, within {@code limits}. */
  public static QuiverServer start(ServerOptions options, ServerLimits limits)
      throws SQLException {
    return start(options, limits, EventLog.standard());
  }

  /**
   * Opens the engine and serves it as {@code options} say, within {@code limits}, with events
   * logged to {@code log}.
   */
  public static QuiverServer start(ServerOptions options, ServerLimits limits, EventLog log)
      throws SQLException {
    UserStore users = new UserStore(options.data());
    boolean authenticated;
    int userCount;
    SslContextFactory.Server tls;
    try {
      userCount = users.users().size();
      authenticated = userCount > 0;
      tls = options.tls() == null ? null : TlsContexts.server(options.tls());
    } catch (IOException e) {
      throw ioError(e);
    }
    if (!authenticated && !isLoopback(options.host())) {
      throw new IllegalStateException("refusing to listen on " + options.host()
          + " without users: anyone on the network could read and change the data. Add a user "
          + "first (./quiver user add NAME --data " + options.data() + "), or bind to 127.0.0.1");
    }
    String location = "file:" + options.data().toAbsolutePath().normalize();
    // Hold the engine for the server's life, so it stays open between client connections.
    EngineRegistry.Handle engine = EngineRegistry.acquire(location,
        config -> config.withCatalog(options.catalog()).withLog(options.log())
            .withSegments(options.segments()));
    ChannelDoor channel = null;
    try {
      Properties info = new Properties();
      info.setProperty(org.quiver.sql.copy.CopyCommand.REMOTE_CLIENT, "true");
      String idle = Long.toString(options.idleTimeout().toSeconds());
      info.setProperty("avatica.connectioncache.expiryduration", idle);
      info.setProperty("avatica.connectioncache.expiryunit", "SECONDS");
      info.setProperty("avatica.statementcache.expiryduration", idle);
      info.setProperty("avatica.statementcache.expiryunit", "SECONDS");
      ServerMetrics metrics = new ServerMetrics(engine.engine());
      JdbcMeta jdbc = new LimitedJdbcMeta(QuiverDriver.PREFIX + location, info, limits, metrics);
      AccessControl access;
      try {
        access = new AccessControl(users, () -> engine.engine().aliases(),
            isLoopback(options.host()));
      } catch (IOException e) {
        throw ioError(e);
      }
      LocalService service = new LocalService(guarded(jdbc, metrics, access, log));
      ProtobufDoor avatica = new ProtobufDoor(service, access, metrics);
      if (options.channelPort() != ServerOptions.CHANNEL_OFF) {
        try {
          channel = ChannelDoor.start(options,
              options.tls() == null ? null : TlsContexts.sslContext(options.tls()), avatica,
              access, users, metrics, log);
        } catch (IOException e) {
          throw new SQLException("cannot listen for channels on " + options.host() + ":"
              + options.channelPort() + ": " + e.getMessage(),
              ErrorCode.CONNECTION_FAILURE.sqlState(), ErrorCode.CONNECTION_FAILURE.code(), e);
        }
      }
      ChannelDoor channelDoor = channel;
      ServerConnector[] connector = new ServerConnector[1];
      ServerCustomizer<Server> jetty = server -> {
        connector[0] = connector(server, options, tls);
        server.setConnectors(new ServerConnector[] {connector[0]});
        server.addBean(new ConnectionLimit(options.maxConnections(), server));
        MonitoringHandler monitoring = new MonitoringHandler(metrics, channelDoor);
        monitoring.setHandler(avatica);
        Handler app = authenticating(access, avatica, security(users, monitoring), monitoring);
        // Counts the requests in flight, so that stopping waits for them (graceful shutdown).
        StatisticsHandler inFlight = new StatisticsHandler();
        inFlight.setHandler(app);
        server.setHandler(inFlight);
        server.setStopTimeout(STOP_TIMEOUT_MS);
      };
      HttpServer http = new HttpServer.Builder<Server>()
          .withCustomAuthentication(access)
          .withServerCustomizers(List.of(jetty), Server.class)
          .build();
      http.start();
      avatica.setServerRpcMetadata(
          new RpcMetadataResponse(options.host() + ":" + connector[0].getLocalPort()));
      log.event("info", "server_start", "data", options.data().toAbsolutePath().normalize(),
          "bind", options.host(), "port", connector[0].getLocalPort(),
          "channel_port", channel == null ? "off" : channel.port(),
          "tls", options.tls() != null, "auth", authenticated ? "basic" : "none",
          "users", userCount, "max_connections", options.maxConnections(),
          "max_sessions", limits.maxSessions(),
          "max_statements_per_connection", limits.maxStatementsPerConnection(),
          "max_rows_per_frame", limits.maxRowsPerFrame(),
          "idle_timeout_s", options.idleTimeout().toSeconds(),
          "slow_query_ms", log.slowQuery().toMillis());
      return new QuiverServer(engine, http, channel, connector[0], options, access, log);
    } catch (RuntimeException | SQLException e) {
      if (channel != null) {
        channel.close();
      }
      engine.close();
      throw e;
    }
  }

  private static SQLException ioError(IOException e) {
    return new SQLException(e.getMessage(), ErrorCode.IO_ERROR.sqlState(),
        ErrorCode.IO_ERROR.code(), e);
  }

  private static boolean isLoopback(String host) throws SQLException {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      throw new SQLException("cannot resolve the address to bind, " + host + ": " + e.getMessage(),
          ErrorCode.CONNECTION_FAILURE.sqlState(), ErrorCode.CONNECTION_FAILURE.code(), e);
    }
  }

  private static ServerConnector connector(Server server, ServerOptions options,
      SslContextFactory.Server tls) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector c;
    if (tls == null) {
      c = new ServerConnector(server, new HttpConnectionFactory(http));
    } else {
      http.addCustomizer(new SecureRequestCustomizer());
      SslConnectionFactory ssl = new SslConnectionFactory(tls, "http/1.1");
      c = new ServerConnector(server, new PlainHttpRefusal(ssl), ssl,
          new HttpConnectionFactory(http));
    }
    c.setHost(options.host());
    c.setPort(options.port());
    c.setIdleTimeout(options.idleTimeout().toMillis());
    return c;
  }

  /**
   * Lets requests skip {@code security} while the server is open without users (loopback only),
   * so that the first user created turns authentication on without a restart. After that, on a
   * server that started open, a request without credentials that closes a statement or a
   * connection skips it too ({@link AccessControl#checkLogin} lets it close only what was opened
   * while the server was open), so that the statement that created the first user ends cleanly;
   * Jetty asks every other request for credentials.
   */
  private static Handler authenticating(AccessControl access, ProtobufDoor door,
      Handler security, Handler open) {
    HandlerWrapper gate = new HandlerWrapper() {
      @Override
      public void handle(String target, Request base, HttpServletRequest request,
          HttpServletResponse response) throws IOException, ServletException {
        if (access.openWithoutUsers()) {
          open.handle(target, base, request, response);
        } else if (access.startedOpen() && "POST".equals(request.getMethod())
            && request.getHeader(HttpHeader.AUTHORIZATION.asString()) == null) {
          Service.Request parsed = parsed(door, ProtobufDoor.body(request));
          // The door reads the request parsed here; the security handler refuses it for want of
          // credentials without reading it.
          request.setAttribute(ProtobufDoor.PARSED, parsed);
          (ProtobufDoor.closes(parsed) ? open : security).handle(target, base, request, response);
        } else {
          super.handle(target, base, request, response);
        }
      }
    };
    gate.setHandler(security);
    return gate;
  }

  /** The Avatica request in {@code body}, or null if it holds none. */
  private static Service.Request parsed(ProtobufDoor door, byte[] body) {
    try {
      return door.parse(body);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Handler security(UserStore users, Handler inner) {
    Constraint constraint = new Constraint(Constraint.__BASIC_AUTH, Constraint.ANY_AUTH);
    constraint.setAuthenticate(true);
    ConstraintMapping mapping = new ConstraintMapping();
    mapping.setConstraint(constraint);
    mapping.setPathSpec("/*");
    // Load balancers and orchestrators probe /health without credentials, and Quiver's driver
    // asks for /channel before it logs in on the channel; neither tells secrets.
    Constraint open = new Constraint();
    open.setAuthenticate(false);
    ConstraintMapping health = new ConstraintMapping();
    health.setConstraint(open);
    health.setPathSpec(MonitoringHandler.HEALTH);
    ConstraintMapping discovery = new ConstraintMapping();
    discovery.setConstraint(open);
    discovery.setPathSpec(MonitoringHandler.CHANNEL);
    ConstraintSecurityHandler security = new ConstraintSecurityHandler();
    security.setAuthenticator(new BasicAuthenticator());
    security.setLoginService(new QuiverLoginService(users));
    security.setRealmName("Quiver");
    security.setConstraintMappings(new ConstraintMapping[] {mapping, health, discovery});
    security.setHandler(inner);
    return security;
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** The channel's port ({@link ChannelDoor}), or -1 if the server has no channel. */
  public int channelPort() {
    return channel == null ? ServerOptions.CHANNEL_OFF : channel.port();
  }

  /** Whether clients must authenticate (the data directory has users). */
  public boolean authenticated() {
    return !access.openWithoutUsers();
  }

  private String address() {
    return (options.tls() == null ? "http://" : "https://") + options.host() + ":" + port();
  }

  /** The URL for Quiver's driver. */
  public String url() {
    return QuiverDriver.REMOTE_PREFIX + address();
  }

  /** The URL for the stock Avatica driver. */
  public String avaticaUrl() {
    return "jdbc:avatica:remote:url=" + address() + ";serialization=protobuf";
  }

  public void join() throws InterruptedException {
    http.join();
  }

  /**
   * Stops accepting, waits for the requests in flight (at most 30 s on each transport), then
   * closes the engine.
   */
  @Override
  public void close() {
    log.event("info", "server_stopping", "port", port());
    try {
      if (channel != null) {
        channel.stop(STOP_TIMEOUT_MS);
      }
      http.stop();
    } finally {
      engine.close();
      log.event("info", "server_stop");
    }
  }

  /**
   * Every call of the meta layer: read-only users may not prepare writes, executions are counted
   * in {@code metrics}, connections, slow and failed statements go to {@code log}, and
   * SQLExceptions leave as Avatica's own error type, the only one whose SQL state reaches clients.
   */
  private static ProtobufMeta guarded(JdbcMeta meta, ServerMetrics metrics,
      AccessControl access, EventLog log) {
    return (ProtobufMeta) Proxy.newProxyInstance(QuiverServer.class.getClassLoader(),
        new Class<?>[] {ProtobufMeta.class}, (engine, method, args) -> {
          if ((method.getName().equals("prepare") || method.getName().equals("prepareAndExecute"))
              && args[1] == null) {
            // Protobuf carries an empty statement as no statement at all.
            args[1] = "";
          }
          ServerMetrics.Kind kind = executed(method.getName(), args, metrics);
          long start = System.nanoTime();
          boolean failed = true;
          try {
            if (method.getDeclaringClass() != Object.class) {
              access.checkLogin(method.getName(), connectionOf(args));
            }
            switch (method.getName()) {
              case "prepare", "prepareAndExecute" -> access.checkStatement(
                  List.of((String) args[1]));
              case "prepareAndExecuteBatch" -> {
                @SuppressWarnings("unchecked")
                List<String> batch = (List<String>) args[1];
                access.checkStatement(batch);
              }
              default -> { }
            }
            Object result = method.invoke(meta, args);
            failed = false;
            switch (method.getName()) {
              case "prepare" -> {
                Meta.StatementHandle h = (Meta.StatementHandle) result;
                metrics.prepared(h.id, ServerMetrics.Kind.of((String) args[1]));
                log.prepared(h.id, (String) args[1]);
              }
              case "closeStatement" -> {
                metrics.closed(((Meta.StatementHandle) args[0]).id);
                log.closed(((Meta.StatementHandle) args[0]).id);
              }
              case "openConnection" -> {
                access.connectionOpened(((Meta.ConnectionHandle) args[0]).id);
                log.event("info", "connection_open",
                    "connection", ((Meta.ConnectionHandle) args[0]).id, "user", callerName());
              }
              case "closeConnection" -> {
                access.connectionClosed(((Meta.ConnectionHandle) args[0]).id);
                log.event("info", "connection_close",
                    "connection", ((Meta.ConnectionHandle) args[0]).id, "user", callerName());
              }
              default -> { }
            }
            if (kind == ServerMetrics.Kind.INSERT) {
              metrics.insertedRows(updateCount(result));
            }
            return result;
          } catch (InvocationTargetException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException i ? i.getCause() : e;
            if (cause instanceof NoSuchStatementException
                || cause instanceof NoSuchConnectionException
                || cause instanceof MissingResultsException) {
              // Avatica's client recovers from these (it prepares or connects again).
              throw cause;
            }
            AvaticaRuntimeException a = toAvatica(cause);
            // Avatica sends an error's stack trace to the client: the server's frames stay here.
            a.setStackTrace(new StackTraceElement[0]);
            log.event("warn", "statement_error", "sqlstate", a.getSqlState(),
                "code", a.getErrorCode(), "user", callerName(), "kind", kindLabel(kind),
                "message", PasswordRedaction.redact(a.getErrorMessage()),
                "sql", EventLog.loggable(statementText(method.getName(), args, log)));
            throw a;
          } finally {
            long nanos = System.nanoTime() - start;
            if (kind != null) {
              metrics.record(kind, nanos, failed);
              if (!failed && nanos >= log.slowQuery().toNanos()) {
                log.event("warn", "slow_statement", "duration_ms", nanos / 1_000_000,
                    "user", callerName(), "kind", kindLabel(kind),
                    "sql", EventLog.loggable(statementText(method.getName(), args, log)));
              }
            }
          }
        });
  }

  /** The connection a meta call acts on, or null if it names none. */
  private static String connectionOf(Object[] args) {
    if (args == null || args.length == 0) {
      return null;
    }
    return switch (args[0]) {
      case Meta.ConnectionHandle c -> c.id;
      case Meta.StatementHandle s -> s.connectionId;
      default -> null;
    };
  }

  private static String callerName() {
    return Caller.current().map(User::name).orElse(null);
  }

  private static String kindLabel(ServerMetrics.Kind kind) {
    return kind == null ? null : kind.label();
  }

  /** The SQL a meta call runs, if it runs one and the server knows it. */
  private static String statementText(String method, Object[] args, EventLog log) {
    return switch (method) {
      case "prepare", "prepareAndExecute" -> (String) args[1];
      case "prepareAndExecuteBatch" -> {
        @SuppressWarnings("unchecked")
        List<String> batch = (List<String>) args[1];
        yield batch.isEmpty() ? null : batch.get(0)
            + (batch.size() > 1 ? " (and " + (batch.size() - 1) + " more)" : "");
      }
      case "execute", "executeBatch", "executeBatchProtobuf" ->
          log.preparedSql(((Meta.StatementHandle) args[0]).id);
      default -> null;
    };
  }

  /** What a meta call executes, or null if it executes no statement (prepare, fetch, close). */
  private static ServerMetrics.Kind executed(String method, Object[] args,
      ServerMetrics metrics) {
    return switch (method) {
      case "prepareAndExecute" -> ServerMetrics.Kind.of((String) args[1]);
      case "prepareAndExecuteBatch" -> {
        @SuppressWarnings("unchecked")
        List<String> batch = (List<String>) args[1];
        yield batch.isEmpty() ? ServerMetrics.Kind.OTHER : ServerMetrics.Kind.of(batch.get(0));
      }
      case "execute", "executeBatch", "executeBatchProtobuf" ->
          metrics.preparedKind(((Meta.StatementHandle) args[0]).id);
      default -> null;
    };
  }

  /** Rows an execution reports as changed. */
  private static long updateCount(Object result) {
    long rows = 0;
    if (result instanceof Meta.ExecuteResult r) {
      for (Meta.MetaResultSet rs : r.resultSets) {
        rows += Math.max(0, rs.updateCount);
      }
    } else if (result instanceof Meta.ExecuteBatchResult r) {
      for (long n : r.updateCounts) {
        rows += Math.max(0, n);
      }
    }
    return rows;
  }

  /**
   * The one error type whose SQLSTATE reaches Avatica clients, for every error: a SQLException's
   * own state when it has one, else {@link SqlErrors}'s mapping (an unknown error is XX000, its
   * details only in the log).
   */
  private static AvaticaRuntimeException toAvatica(Throwable error) {
    if (error instanceof AvaticaRuntimeException a && a.getSqlState() != null
        && a.getSqlState().length() == 5 && !a.getSqlState().equals("00000")) {
      return a;
    }
    SQLException sql = null;
    for (Throwable t = error; t != null && sql == null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        sql = e;
      }
    }
    sql = SqlErrors.translate(sql != null ? sql : new SQLException(error.getMessage(), null, error));
    return new AvaticaRuntimeException(PasswordRedaction.redact(sql.getMessage()),
        sql.getErrorCode(), sql.getSQLState(), AvaticaSeverity.ERROR);
  }
}
