package org.quiver.jdbc.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import com.google.protobuf.CodedInputStream;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.HostnameVerificationConfigurable.HostnameVerification;

/**
 * One remote connection's client on the server's channel ({@link ChannelProtocol}): each {@link
 * #send} writes the request as a frame and reads the answer frame on a socket of its own. A
 * request sent while another is on its way (the connection shared by threads) opens one more
 * socket, kept for later; sockets idle for half the server's idle timeout are replaced before
 * use, as the server may have closed them. The sockets close when the connection's close request
 * has been answered, or on {@link #close} (a client made for one request).
 *
 * <p>A socket that breaks or stays silent beyond Avatica's {@code http_response_timeout} during a
 * request fails that request with 08006 naming the server; it is not retried, since the server
 * may have run it.
 */
final class ChannelClient implements AvaticaHttpClient, AutoCloseable {
  static final String CONNECTION_LOST = "08006";
  static final int CONNECTION_LOST_CODE = 5008;
  static final String PROGRAM_LIMIT_EXCEEDED = "54000";
  static final int PROGRAM_LIMIT_EXCEEDED_CODE = 5005;
  static final String TOO_MANY_CONNECTIONS = "53300";
  static final int TOO_MANY_CONNECTIONS_CODE = 5004;

  private static final String CLOSE_CONNECTION = Requests.CloseConnectionRequest.class.getName();
  /** The tag of a WireMessage's field 1 (its name), a length-delimited field. */
  private static final int NAME_TAG = (1 << 3) | 2;

  private final String server;
  private final InetSocketAddress address;
  private final SSLSocketFactory tls;
  private final boolean verifyHost;
  private final byte[] hello;
  private final int responseTimeoutMillis;
  private final long staleAfterNanos;
  private final int maxFrameBytes;
  /** Sockets waiting for a request. Guarded by {@code this}. */
  private final Deque<Link> idle = new ArrayDeque<>();
  /** Whether the connection is closed: sockets are no longer kept. Guarded by {@code this}. */
  private boolean closed;

  /** The server refused a channel: at the hello, with an HTTP-like status and its reason. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String reason) {
      super(reason);
      this.status = status;
    }

    int status() {
      return status;
    }

    /** The refusal as the HTTP client reports it, so that the driver's translation applies. */
    RuntimeException toException() {
      return answerError(status, getMessage());
    }
  }

  /** One socket with its streams. */
  private static final class Link {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;
    long lastUsed = System.nanoTime();

    Link(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Gone either way.
      }
    }
  }

  private ChannelClient(URL url, ChannelProtocol.Offer offer, ConnectionConfig config)
      throws IOException, GeneralSecurityException {
    this.server = url.getHost() + ":" + offer.port();
    this.address = new InetSocketAddress(url.getHost(), offer.port());
    this.tls = offer.tls() ? ChannelClients.tls(config).getSocketFactory() : null;
    this.verifyHost = config.hostnameVerification() != HostnameVerification.NONE;
    String authentication = config.authentication();
    boolean login = (AuthenticationType.BASIC.name().equals(authentication)
        || AuthenticationType.DIGEST.name().equals(authentication))
        && config.avaticaUser() != null;
    this.hello = ChannelProtocol.hello(login ? config.avaticaUser() : null,
        login ? config.avaticaPassword() : null);
    this.responseTimeoutMillis = (int) Math.min(Integer.MAX_VALUE,
        Math.max(0, config.getHttpResponseTimeout()));
    this.staleAfterNanos = offer.idleTimeoutMillis() > 0
        ? offer.idleTimeoutMillis() * 500_000L : Long.MAX_VALUE;
    this.maxFrameBytes = offer.maxFrameBytes();
  }

  /**
   * A client on the channel {@code offer} describes, for the server at {@code url}, with its
   * first socket open and logged in.
   *
   * @throws Refused if the server refuses the hello
   * @throws IOException if the channel cannot be reached
   */
  static ChannelClient open(URL url, ChannelProtocol.Offer offer, ConnectionConfig config)
      throws IOException, GeneralSecurityException {
    ChannelClient client = new ChannelClient(url, offer, config);
    Link first = client.connect();
    synchronized (client) {
      client.idle.push(first);
    }
    return client;
  }

  private Link connect() throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, ChannelClients.CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(ChannelClients.HELLO_TIMEOUT_MS);
      if (tls != null) {
        SSLSocket secure = (SSLSocket) tls.createSocket(socket, address.getHostString(),
            address.getPort(), true);
        if (verifyHost) {
          SSLParameters parameters = secure.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          secure.setSSLParameters(parameters);
        }
        secure.startHandshake();
        socket = secure;
      }
      Link link = new Link(socket);
      ChannelProtocol.writeFrame(link.out, hello);
      ChannelProtocol.Answer answer = ChannelProtocol.readAnswer(link.in);
      if (answer.status() != ChannelProtocol.OK) {
        throw new Refused(answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
      }
      socket.setSoTimeout(responseTimeoutMillis);
      return link;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public byte[] send(byte[] request) {
    if (request.length > maxFrameBytes) {
      throw new AvaticaClientRuntimeException("a request of " + request.length + " bytes "
          + "exceeds the channel's limit of " + maxFrameBytes + " bytes; send smaller batches",
          PROGRAM_LIMIT_EXCEEDED_CODE, PROGRAM_LIMIT_EXCEEDED, AvaticaSeverity.ERROR, List.of(),
          null);
    }
    Link link = take();
    ChannelProtocol.Answer answer;
    try {
      ChannelProtocol.writeFrame(link.out, request);
      answer = ChannelProtocol.readAnswer(link.in);
    } catch (IOException e) {
      link.close();
      throw new AvaticaClientRuntimeException("lost the channel to Quiver at " + server
          + " during a request: " + e, CONNECTION_LOST_CODE, CONNECTION_LOST,
          AvaticaSeverity.ERROR, List.of(), null);
    }
    if (closesConnection(request)) {
      link.close();
      close();
    } else {
      giveBack(link);
    }
    if (answer.status() == ChannelProtocol.OK || answer.status() == ChannelProtocol.ERROR) {
      return answer.body();
    }
    throw answerError(answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
  }

  /** An idle socket that is not stale, or a new one. */
  private Link take() {
    long now = System.nanoTime();
    synchronized (this) {
      Link link;
      while ((link = idle.poll()) != null) {
        if (now - link.lastUsed < staleAfterNanos) {
          return link;
        }
        link.close();
      }
    }
    try {
      return connect();
    } catch (IOException e) {
      throw new AvaticaClientRuntimeException("cannot reach Quiver's channel at " + server
          + ": " + e, ChannelClients.CONNECTION_FAILURE_CODE, ChannelClients.CONNECTION_FAILURE,
          AvaticaSeverity.ERROR, List.of(), null);
    }
  }

  private void giveBack(Link link) {
    link.lastUsed = System.nanoTime();
    synchronized (this) {
      if (!closed) {
        idle.push(link);
        return;
      }
    }
    link.close();
  }

  /** Closes the idle sockets; a request on its way closes its socket when answered. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      for (Link link : idle) {
        link.close();
      }
      idle.clear();
    }
  }

  /**
   * The error of an answer other than 200 or 500, as Avatica's HTTP client words a refused
   * login ("got HTTP/401"), so that the driver reports it as 28000 on either transport.
   */
  static RuntimeException answerError(int status, String reason) {
    return switch (status) {
      case ChannelProtocol.TOO_LARGE -> new AvaticaClientRuntimeException(reason,
          PROGRAM_LIMIT_EXCEEDED_CODE, PROGRAM_LIMIT_EXCEEDED, AvaticaSeverity.ERROR, List.of(),
          null);
      case ChannelProtocol.BUSY -> new AvaticaClientRuntimeException(reason,
          TOO_MANY_CONNECTIONS_CODE, TOO_MANY_CONNECTIONS, AvaticaSeverity.ERROR, List.of(),
          null);
      default -> new RuntimeException(reason + " (Quiver's channel; got HTTP/" + status + ")");
    };
  }

  /** Whether {@code request} is Avatica's request to close the connection. */
  private static boolean closesConnection(byte[] request) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(request);
      return in.readTag() == NAME_TAG && CLOSE_CONNECTION.equals(in.readStringRequireUtf8());
    } catch (IOException e) {
      return false;
    }
  }
}
