package org.quiver.storage.mq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The key codec of the queue's RocksDB: how channel, group and message keys and their long values
 * are spelled in bytes (the layout is in {@link RocksMessageQueue}'s Javadoc).
 */
final class MessageKeys {
  static final byte[] LAST_ID_KEY = "id_allocator/last_id".getBytes(StandardCharsets.UTF_8);
  static final String BEGIN_ID = "/begin_id";
  static final String END_ID = "/end_id";
  static final String STATS = "/stats";
  private static final String CURRENT_ID = "/current_id";
  /** Decimal digits of Long.MAX_VALUE: every non-negative id fits. */
  private static final int ID_DIGITS = 19;

  private MessageKeys() {}

  /** Refuses a channel or group name that would make the keys ambiguous. */
  static void checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          what + " name must be non-empty without '/', got '" + name + "'");
    }
  }

  /** The id of a message key whose channel prefix is {@code idStart} bytes long. */
  static long idOf(byte[] key, int idStart) {
    return Long.parseLong(new String(key, idStart, key.length - idStart, StandardCharsets.US_ASCII));
  }

  /** {@code <channel>/<id>}, the id zero-padded so that byte order is id order. */
  static byte[] messageKey(String channel, long id) {
    byte[] prefix = channelStart(channel);
    byte[] key = Arrays.copyOf(prefix, prefix.length + ID_DIGITS);
    for (int i = key.length - 1; i >= prefix.length; i--) {
      key[i] = (byte) ('0' + id % 10);
      id /= 10;
    }
    return key;
  }

  static byte[] channelStart(String channel) {
    return (channel + "/").getBytes(StandardCharsets.UTF_8);
  }

  /** The first key after every {@code <channel>/...} key: '0' follows '/' in ASCII. */
  static byte[] channelEnd(String channel) {
    return (channel + "0").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] metaKey(String channel, String suffix) {
    return (channel + suffix).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] positionKey(String group, String channel) {
    return (group + "/" + channel + CURRENT_ID).getBytes(StandardCharsets.UTF_8);
  }

  /** The suffix that every position key of {@code channel} ends with, after its group. */
  static String positionSuffix(String channel) {
    return "/" + channel + CURRENT_ID;
  }

  static byte[] encodeLong(long v) {
    return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
  }

  static byte[] encodeStats(long count, long bytes) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(count).putLong(bytes).array();
  }

  static long decodeLong(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }
}
