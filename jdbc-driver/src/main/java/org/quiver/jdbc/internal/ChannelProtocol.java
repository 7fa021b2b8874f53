package org.quiver.jdbc.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The channel's wire format, shared by the server's door and Quiver's driver: Avatica's protobuf
 * requests and answers carried as frames over one persistent TCP (or TLS) connection instead of
 * one HTTP POST each.
 *
 * <p>A frame is a 4-byte big-endian length, then that many bytes. The client's first frame is a
 * hello ({@link #hello}): the magic {@code QVCH}, the protocol version, and a user and password
 * or none. Every later client frame is an Avatica {@code WireMessage}, the bytes an HTTP POST
 * would carry. The server answers each client frame, the hello included, with one frame: a
 * 2-byte status with HTTP's meaning, then the body ({@link Answer}). 200 and 500 carry Avatica's
 * response or error response; 400 a body that is no Avatica request, 401 a refused login, 413 a
 * request beyond {@link #MAX_FRAME_BYTES} and 503 a server with too many channels carry a reason
 * in UTF-8. After a refused hello, a 413 or a 503 the server closes the channel.
 *
 * <p>The server says where its channel is at {@link #DISCOVERY_PATH} on its HTTP port, without
 * credentials ({@link Offer}).
 */
public final class ChannelProtocol {
  /** "QVCH": the first bytes of a hello. */
  static final int MAGIC = 0x51564348;
  /** The protocol version a hello names; the server refuses others with 400. */
  static final int VERSION = 1;
  /** Largest frame either side accepts. */
  public static final int MAX_FRAME_BYTES = 256 << 20;
  /** Largest hello frame the server reads. */
  public static final int MAX_HELLO_BYTES = 64 << 10;
  /** The HTTP path, answered to a GET, where the server describes its channel. */
  public static final String DISCOVERY_PATH = "/channel";

  public static final int OK = 200;
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int TOO_LARGE = 413;
  public static final int ERROR = 500;
  public static final int BUSY = 503;

  private static final Pattern FIELD =
      Pattern.compile("\"(port|tls|idle_timeout_ms|max_frame_bytes)\"\\s*:\\s*(\\w+)");

  private ChannelProtocol() {}

  /** A client's hello: who it is, or {@code user == null} for a channel without a login. */
  public record Hello(String user, String password) {}

  /** One answer of the server: a status with HTTP's meaning, and the body. */
  public record Answer(int status, byte[] body) {}

  /**
   * What the server's discovery answer says: the channel's port, whether it speaks TLS, after
   * how long idle the server closes it, and the largest frame it reads.
   */
  public record Offer(int port, boolean tls, long idleTimeoutMillis, int maxFrameBytes) {
    /** The discovery answer's JSON text. */
    public String json() {
      return String.format(Locale.ROOT,
          "{\"port\":%d,\"tls\":%b,\"idle_timeout_ms\":%d,\"max_frame_bytes\":%d}%n",
          port, tls, idleTimeoutMillis, maxFrameBytes);
    }

    /** The offer in a discovery answer; throws IOException if it holds none. */
    static Offer parse(String json) throws IOException {
      Integer port = null;
      Boolean tls = null;
      long idle = 0;
      int maxFrame = MAX_FRAME_BYTES;
      Matcher m = FIELD.matcher(json);
      try {
        while (m.find()) {
          switch (m.group(1)) {
            case "port" -> port = Integer.valueOf(m.group(2));
            case "tls" -> tls = Boolean.valueOf(m.group(2));
            case "idle_timeout_ms" -> idle = Long.parseLong(m.group(2));
            default -> maxFrame = Integer.parseInt(m.group(2));
          }
        }
      } catch (NumberFormatException e) {
        throw new IOException("not a channel offer: " + json, e);
      }
      if (port == null || tls == null || port < 1 || port > 65535) {
        throw new IOException("not a channel offer: " + json);
      }
      return new Offer(port, tls, idle, maxFrame);
    }
  }

  /** The frame body of a hello from {@code user} (null: none) with {@code password}. */
  static byte[] hello(String user, String password) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeBoolean(user != null);
      if (user != null) {
        out.writeUTF(user);
        out.writeUTF(password == null ? "" : password);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("user or password too long for a hello", e);
    }
    return bytes.toByteArray();
  }

  /** The hello in a frame body; throws IOException if it is none, or of another version. */
  public static Hello readHello(byte[] body) throws IOException {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a hello of Quiver's channel");
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IOException("channel protocol version " + version + " is not supported; this "
            + "server speaks version " + VERSION);
      }
      if (!in.readBoolean()) {
        return new Hello(null, null);
      }
      return new Hello(in.readUTF(), in.readUTF());
    } catch (EOFException e) {
      throw new IOException("a hello cut short", e);
    }
  }

  /**
   * Reads one frame's length, an unsigned 32-bit number; -1 at the end of the stream before a
   * frame.
   *
   * @throws EOFException if the stream ends inside the length
   */
  public static long readLength(DataInputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      return -1;
    }
    return ((long) b << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
  }

  /** Reads the {@code length} bytes of a frame's body. */
  public static byte[] readBody(DataInputStream in, int length) throws IOException {
    byte[] body = new byte[length];
    in.readFully(body);
    return body;
  }

  /** Reads one answer frame of the server. */
  static Answer readAnswer(DataInputStream in) throws IOException {
    long length = readLength(in);
    if (length < 0) {
      throw new EOFException("the server closed the channel");
    }
    // Answers are not held to MAX_FRAME_BYTES: a frame of results is bounded by the server's
    // rows per frame, and HTTP would carry it too.
    if (length < 2 || length > Integer.MAX_VALUE - 8) {
      throw new IOException("an answer frame of " + length + " bytes is not one of Quiver's");
    }
    int status = in.readUnsignedShort();
    return new Answer(status, readBody(in, (int) length - 2));
  }

  /** Writes a client frame and flushes. */
  static void writeFrame(OutputStream out, byte[] body) throws IOException {
    writeInt(out, body.length);
    out.write(body);
    out.flush();
  }

  /** Writes an answer frame and flushes. */
  public static void writeAnswer(OutputStream out, int status, byte[] body) throws IOException {
    writeInt(out, body.length + 2);
    out.write(status >>> 8);
    out.write(status);
    out.write(body);
    out.flush();
  }

  private static void writeInt(OutputStream out, int v) throws IOException {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
