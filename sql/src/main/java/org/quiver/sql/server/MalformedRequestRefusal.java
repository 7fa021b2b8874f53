package org.quiver.sql.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * In front of the Avatica handler: answers a POST whose body is not an Avatica protobuf request
 * with 400 and a one-line reason. Avatica would answer 500 with its Java stack trace.
 *
 * <p>The body is parsed here once to check it, then handed on for Avatica to parse again:
 * Avatica decodes inside its handler, with no hook between the bytes and its error response.
 */
final class MalformedRequestRefusal extends HandlerWrapper {
  /** Longest parser message the answer quotes. */
  private static final int REASON_CHARS = 160;

  private final ProtobufTranslation translation = new ProtobufTranslationImpl();

  @Override
  public void handle(String target, Request base, HttpServletRequest request,
      HttpServletResponse response) throws IOException, ServletException {
    if (!"POST".equals(request.getMethod())) {
      super.handle(target, base, request, response);
      return;
    }
    byte[] body = request.getInputStream().readAllBytes();
    try {
      translation.parseRequest(body);
    } catch (IOException | RuntimeException e) {
      String reason = String.valueOf(e.getMessage());
      byte[] answer = ("not an Avatica protobuf request ("
          + (reason.length() > REASON_CHARS ? reason.substring(0, REASON_CHARS) + "..." : reason)
          + "); use a JDBC driver: Quiver's jdbc:quiver:remote: or Avatica's with "
          + "serialization=protobuf\n").getBytes(StandardCharsets.UTF_8);
      base.setHandled(true);
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      response.setContentType("text/plain; charset=utf-8");
      response.setContentLength(answer.length);
      response.getOutputStream().write(answer);
      return;
    }
    super.handle(target, base, new ReadAgain(request, body), response);
  }

  /** The request with its body, already read, to be read again. */
  static final class ReadAgain extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadAgain(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body was read already");
        }
      };
    }
  }
}
