package org.quiver.sql.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;

/**
 * In front of the TLS connection factory: answers plain HTTP sent to the https port with a 400
 * that says so. Closing without an answer, Jetty's default, makes Avatica's client retry forever.
 */
final class PlainHttpRefusal extends OptionalSslConnectionFactory {
  private static final String BODY = "This Quiver server speaks https: use an https:// URL.\n";
  private static final byte[] RESPONSE = ("HTTP/1.1 400 Bad Request\r\n"
      + "Content-Type: text/plain; charset=utf-8\r\n"
      + "Content-Length: " + BODY.length() + "\r\n"
      + "Connection: close\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);

  PlainHttpRefusal(SslConnectionFactory ssl) {
    super(ssl, null);
  }

  @Override
  protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
    endPoint.write(Callback.from(endPoint::close, failure -> endPoint.close()),
        ByteBuffer.wrap(RESPONSE));
  }
}
