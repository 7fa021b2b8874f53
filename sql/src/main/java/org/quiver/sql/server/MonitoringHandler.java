package org.quiver.sql.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Answers {@code GET /health} and {@code GET /metrics} in front of the Avatica handler, which
 * gets every other request. Authentication, where the server has users, is decided before this
 * handler: {@code /health} is open, {@code /metrics} needs the same credentials as SQL.
 */
final class MonitoringHandler extends HandlerWrapper {
  static final String HEALTH = "/health";
  static final String METRICS = "/metrics";

  private final ServerMetrics metrics;

  MonitoringHandler(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(String target, Request base, HttpServletRequest request,
      HttpServletResponse response) throws IOException, ServletException {
    boolean health = HEALTH.equals(target);
    if (!health && !METRICS.equals(target)) {
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
    byte[] body = (health ? metrics.healthJson() : metrics.prometheus())
        .getBytes(StandardCharsets.UTF_8);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(health ? "application/json; charset=utf-8"
        : "text/plain; version=0.0.4; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    if ("GET".equals(method)) {
      response.getOutputStream().write(body);
    }
  }
}
