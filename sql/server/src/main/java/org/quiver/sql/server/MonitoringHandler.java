package org.quiver.sql.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.quiver.jdbc.internal.ChannelProtocol;

/**
 * Answers {@code GET /health}, {@code GET /metrics} and {@code GET /channel} (where Quiver's
 * driver finds the channel: {@link ChannelProtocol.Offer}; 404 when the server has none) in front
 * of the Avatica handler, which gets every other request. Authentication, where the server has
 * users, is decided before this handler: {@code /health} and {@code /channel} are open,
 * {@code /metrics} needs the same credentials as SQL.
 */
final class MonitoringHandler extends HandlerWrapper {
  static final String HEALTH = "/health";
  static final String METRICS = "/metrics";
  static final String CHANNEL = ChannelProtocol.DISCOVERY_PATH;

  private final ServerMetrics metrics;
  /** The channel, or null if the server has none. */
  private final ChannelDoor channel;

  MonitoringHandler(ServerMetrics metrics, ChannelDoor channel) {
    this.metrics = metrics;
    this.channel = channel;
  }

  @Override
  public void handle(String target, Request base, HttpServletRequest request,
      HttpServletResponse response) throws IOException, ServletException {
    boolean health = HEALTH.equals(target);
    boolean discovery = CHANNEL.equals(target);
    if (!health && !discovery && !METRICS.equals(target)) {
      super.handle(target, base, request, response);
      return;
    }
    base.setHandled(true);
    String method = request.getMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      response.setHeader("Allow", "GET, HEAD");
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    if (discovery && channel == null) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "this server has no channel");
      return;
    }
    byte[] body = (health ? metrics.healthJson() : discovery ? channel.offer().json()
        : metrics.prometheus()).getBytes(StandardCharsets.UTF_8);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(health || discovery ? "application/json; charset=utf-8"
        : ServerMetrics.contentType());
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    if ("GET".equals(method)) {
      response.getOutputStream().write(body);
    }
  }
}
