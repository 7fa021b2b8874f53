package org.quiver.sql.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.Service;
import org.quiver.jdbc.internal.ChannelProtocol;
import org.quiver.sql.auth.User;
import org.quiver.sql.auth.UserStore;

/**
 * The channel: Avatica's protobuf requests from Quiver's driver as frames over a persistent TCP
 * connection (TLS when the server has TLS) beside the HTTP listener, in the format of {@link
 * ChannelProtocol}. An HTTP round trip costs the client's and Jetty's request handling and a
 * hand-off between Jetty's threads; here one platform thread per channel reads a frame, answers
 * it through the same {@link ProtobufDoor#answer} as HTTP, and reads the next. (Virtual threads
 * made a loopback round trip twice as slow here.)
 *
 * <p>The HTTP door's rules hold: the hello's login checked against the users file at the hello
 * and again whenever the user's password changed, the first-user rule of
 * {@link AccessControl}, each request run as its user; at most {@code maxConnections} channels
 * (apart from HTTP's connections; one more is refused with 503 and its client falls back to
 * HTTP); a channel idle for the idle timeout is closed; a frame beyond {@link
 * ChannelProtocol#MAX_FRAME_BYTES} is refused with 413 and its channel closed. {@link #close}
 * stops accepting, closes idle channels and lets the requests in flight finish.
 */
final class ChannelDoor implements AutoCloseable {
  private final ServerSocket listener;
  private final ProtobufDoor door;
  private final AccessControl access;
  private final UserStore users;
  private final ServerMetrics metrics;
  private final EventLog log;
  private final ServerOptions options;
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger opened = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean stopping;

  private ChannelDoor(ServerSocket listener, ProtobufDoor door, AccessControl access,
      UserStore users, ServerMetrics metrics, EventLog log, ServerOptions options) {
    this.listener = listener;
    this.door = door;
    this.access = access;
    this.users = users;
    this.metrics = metrics;
    this.log = log;
    this.options = options;
    this.acceptor = Thread.ofPlatform().daemon().name("quiver-channel-accept")
        .unstarted(this::accept);
  }

  /**
   * Listens on {@code options}' host and channel port, with TLS from {@code tls} if not null,
   * and starts accepting.
   */
  static ChannelDoor start(ServerOptions options, SSLContext tls, ProtobufDoor door,
      AccessControl access, UserStore users, ServerMetrics metrics, EventLog log)
      throws IOException {
    InetAddress address = InetAddress.getByName(options.host());
    ServerSocket listener = tls == null
        ? new ServerSocket(options.channelPort(), 50, address)
        : tls.getServerSocketFactory().createServerSocket(options.channelPort(), 50, address);
    ChannelDoor channels = new ChannelDoor(listener, door, access, users, metrics, log, options);
    channels.acceptor.start();
    return channels;
  }

  int port() {
    return listener.getLocalPort();
  }

  /** What the discovery answer says about this channel. */
  ChannelProtocol.Offer offer() {
    return new ChannelProtocol.Offer(port(), options.tls() != null,
        options.idleTimeout().toMillis(), ChannelProtocol.MAX_FRAME_BYTES);
  }

  private void accept() {
    while (!stopping) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!stopping) {
          log.event("warn", "channel_accept_failed", "message", e.getMessage());
          // Out of file descriptors, say: give closing channels a moment rather than spin.
          LockSupport.parkNanos(50_000_000L);
        }
        continue;
      }
      Channel channel = new Channel(socket);
      open.add(channel);
      channel.thread.start();
    }
  }

  /**
   * Stops accepting, closes the idle channels, waits at most {@code timeoutMillis} for the
   * requests in flight to be answered, then closes what is left.
   */
  void stop(long timeoutMillis) {
    stopping = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing a listener fails only if it is closed already.
    }
    for (Channel c : open) {
      c.stop();
    }
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    for (Channel c : open) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      try {
        if (left <= 0 || !c.thread.join(java.time.Duration.ofMillis(left))) {
          c.closeSocket();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.closeSocket();
      }
    }
  }

  @Override
  public void close() {
    stop(0);
  }

  /** One client's channel and the thread that serves it. */
  private final class Channel implements Runnable {
    private final Socket socket;
    private final Thread thread;
    private final String address;
    private ChannelProtocol.Hello hello;
    /** The user's password hash the hello's password last matched, or null. */
    private String verifiedHash;
    /** Whether a request is being answered: stopping waits for it. Guarded by {@code this}. */
    private boolean busy;

    Channel(Socket socket) {
      this.socket = socket;
      this.address = socket.getInetAddress().getHostAddress();
      this.thread = Thread.ofPlatform().daemon()
          .name("quiver-channel-" + opened.incrementAndGet()).unstarted(this);
    }

    @Override
    public void run() {
      boolean counted = false;
      try {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, options.idleTimeout().toMillis()));
        DataInputStream in = new DataInputStream(
            new BufferedInputStream(socket.getInputStream(), 1 << 16));
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        if (open.size() > options.maxConnections()) {
          refuse(out, ChannelProtocol.BUSY, "too many channels (" + options.maxConnections()
              + "); use HTTP or try again later");
          return;
        }
        if (!welcome(in, out)) {
          return;
        }
        metrics.channels(1);
        counted = true;
        serve(in, out);
      } catch (SocketTimeoutException e) {
        log.event("info", "channel_idle_close", "client", address,
            "idle_timeout_s", options.idleTimeout().toSeconds());
      } catch (IOException e) {
        // The client went away or the server is stopping: nothing to answer.
      } finally {
        if (counted) {
          metrics.channels(-1);
        }
        closeSocket();
        open.remove(this);
      }
    }

    /** Reads the hello and answers it; false if the channel is refused (and answered so). */
    private boolean welcome(DataInputStream in, OutputStream out) throws IOException {
      long length = ChannelProtocol.readLength(in);
      if (length < 0) {
        return false;
      }
      if (length > ChannelProtocol.MAX_HELLO_BYTES) {
        refuse(out, ChannelProtocol.TOO_LARGE, "a hello of " + length + " bytes exceeds "
            + ChannelProtocol.MAX_HELLO_BYTES);
        return false;
      }
      try {
        hello = ChannelProtocol.readHello(ChannelProtocol.readBody(in, (int) length));
      } catch (IOException e) {
        refuse(out, ChannelProtocol.BAD_REQUEST, e.getMessage());
        return false;
      }
      if (!access.openWithoutUsers()) {
        if (hello.user() != null && !loggedIn()) {
          refuse(out, ChannelProtocol.UNAUTHORIZED, "authentication failed for user '"
              + hello.user() + "': wrong user name or password");
          return false;
        }
        if (hello.user() == null && !access.startedOpen()) {
          refuse(out, ChannelProtocol.UNAUTHORIZED, "this server requires a user and password");
          return false;
        }
      }
      ChannelProtocol.writeAnswer(out, ChannelProtocol.OK, new byte[0]);
      return true;
    }

    private void serve(DataInputStream in, OutputStream out) throws IOException {
      while (true) {
        long length = ChannelProtocol.readLength(in);
        if (length < 0) {
          return;
        }
        if (length > ChannelProtocol.MAX_FRAME_BYTES) {
          log.event("warn", "channel_frame_refused", "client", address, "bytes", length,
              "max_bytes", ChannelProtocol.MAX_FRAME_BYTES);
          refuse(out, ChannelProtocol.TOO_LARGE, "a request of " + length + " bytes exceeds the "
              + "channel's limit of " + ChannelProtocol.MAX_FRAME_BYTES + " bytes");
          return;
        }
        byte[] body = ChannelProtocol.readBody(in, (int) length);
        if (!begin()) {
          return;
        }
        metrics.request(ServerMetrics.Transport.CHANNEL);
        HandlerResponse<byte[]> answer = answer(body);
        ChannelProtocol.writeAnswer(out, answer.getStatusCode(), answer.getResponse());
        if (!end()) {
          return;
        }
      }
    }

    /**
     * The answer to one request, run as the HTTP door runs it: by no one while the server is
     * open; by the hello's user once it has users; by no one, to close what it opened, on a
     * server that started open and a channel without a login; else refused with 401.
     */
    private HandlerResponse<byte[]> answer(byte[] body) {
      Service.Request request;
      try {
        request = door.parse(body);
      } catch (IOException | RuntimeException e) {
        return ProtobufDoor.refusal(e);
      }
      String user;
      if (access.openWithoutUsers()) {
        user = "";
      } else if (hello.user() != null) {
        if (!loggedIn()) {
          return text(ChannelProtocol.UNAUTHORIZED, "authentication failed for user '"
              + hello.user() + "': wrong user name or password");
        }
        user = hello.user();
      } else if (access.startedOpen() && ProtobufDoor.closes(request)) {
        user = "";
      } else {
        return text(ChannelProtocol.UNAUTHORIZED, "this server requires a login since its "
            + "first user was created: connect again with user and password");
      }
      return door.answer(request, user, address);
    }

    /**
     * Whether the hello's user exists and the hello's password is theirs now, as HTTP BASIC checks
     * on every request: the password is verified again only when the user's hash changed (a new
     * password) since it last matched.
     */
    private boolean loggedIn() {
      boolean matches;
      try {
        User user = users.find(hello.user()).orElse(null);
        if (user != null && user.passwordHash().equals(verifiedHash)) {
          return true;
        }
        matches = user != null
            && users.authenticate(hello.user(), hello.password().toCharArray()).isPresent();
        verifiedHash = matches ? user.passwordHash() : null;
      } catch (IOException e) {
        matches = false;
      }
      if (!matches) {
        log.event("warn", "channel_login_failed", "client", address, "user", hello.user());
      }
      return matches;
    }

    private void refuse(OutputStream out, int status, String reason) throws IOException {
      ChannelProtocol.writeAnswer(out, status, reason.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized boolean begin() {
      busy = !stopping;
      return busy;
    }

    private synchronized boolean end() {
      busy = false;
      return !stopping;
    }

    /** Closes the channel now if it waits for a request; else after the answer ({@link #end}). */
    synchronized void stop() {
      if (!busy) {
        closeSocket();
      }
    }

    void closeSocket() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // The channel is gone either way.
      }
    }
  }

  private static HandlerResponse<byte[]> text(int status, String reason) {
    return new HandlerResponse<>(reason.getBytes(StandardCharsets.UTF_8), status);
  }
}
