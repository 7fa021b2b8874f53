package org.quiver.sql.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.quiver.jdbc.QuiverDriver;
import org.quiver.sql.jdbc.EngineRegistry;

/**
 * The remote door: an Avatica HTTP server (protobuf) in front of embedded connections to one
 * engine. Vectors cross the wire as text, and errors keep their SQLSTATE, also for the stock
 * Avatica driver.
 */
public final class QuiverServer implements AutoCloseable {
  private final EngineRegistry.Handle engine;
  private final HttpServer http;
  private final String host;

  private QuiverServer(EngineRegistry.Handle engine, HttpServer http, String host) {
    this.engine = engine;
    this.http = http;
    this.host = host;
  }

  /** Opens the engine on {@code dataDirectory} and serves it on {@code host:port} (0: any port). */
  public static QuiverServer start(Path dataDirectory, String host, int port) throws SQLException {
    String location = "file:" + dataDirectory.toAbsolutePath().normalize();
    // Hold the engine for the server's life, so it stays open between client connections.
    EngineRegistry.Handle engine = EngineRegistry.acquire(location);
    try {
      Properties info = new Properties();
      info.setProperty("vectorObjects", "text");
      JdbcMeta jdbc = new JdbcMeta(QuiverDriver.PREFIX + location, info);
      LocalService service = new LocalService(withSqlStates(jdbc));
      ServerCustomizer<Server> bind = server -> {
        for (Connector c : server.getConnectors()) {
          if (c instanceof ServerConnector sc) {
            sc.setHost(host);
          }
        }
      };
      HttpServer http = new HttpServer.Builder<Server>()
          .withHandler(service, Serialization.PROTOBUF)
          .withPort(port)
          .withServerCustomizers(List.of(bind), Server.class)
          .build();
      http.start();
      return new QuiverServer(engine, http, host);
    } catch (RuntimeException | SQLException e) {
      engine.close();
      throw e;
    }
  }

  public int port() {
    return http.getPort();
  }

  /** The URL for Quiver's driver. */
  public String url() {
    return QuiverDriver.REMOTE_PREFIX + "http://" + host + ":" + port();
  }

  /** The URL for the stock Avatica driver. */
  public String avaticaUrl() {
    return "jdbc:avatica:remote:url=http://" + host + ":" + port() + ";serialization=protobuf";
  }

  public void join() throws InterruptedException {
    http.join();
  }

  @Override
  public void close() {
    http.stop();
    engine.close();
  }

  /**
   * Avatica reports a SQL state to clients only when the server raises its own error type; this
   * wraps every call so that SQLExceptions reach clients with their state and vendor code.
   */
  private static ProtobufMeta withSqlStates(JdbcMeta meta) {
    return (ProtobufMeta) Proxy.newProxyInstance(QuiverServer.class.getClassLoader(),
        new Class<?>[] {ProtobufMeta.class}, (proxy, method, args) -> {
          try {
            return method.invoke(meta, args);
          } catch (InvocationTargetException e) {
            throw toAvatica(e.getCause());
          }
        });
  }

  private static Throwable toAvatica(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        String state = e.getSQLState() == null ? "XX000" : e.getSQLState();
        return new AvaticaRuntimeException(e.getMessage(), e.getErrorCode(), state,
            AvaticaSeverity.ERROR);
      }
    }
    return error;
  }
}
