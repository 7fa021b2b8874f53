package org.quiver.storage.hash;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86 32-bit, and the byte form of a primary key that Quiver hashes: a BIGINT as 8
 * little-endian bytes (as Milvus hashes int64 keys), a VARCHAR as its UTF-8 bytes. Both are
 * persisted in effect (the channel of a key, the bits of a segment's bloom filter): never change
 * them.
 */
public final class Murmur3 {
  private Murmur3() {}

  /** The bytes of a BIGINT ({@link Long}) or VARCHAR ({@link String}) primary key. */
  public static byte[] keyBytes(Object key) {
    return switch (key) {
      case Long l -> {
        byte[] bytes = new byte[Long.BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
          bytes[i] = (byte) (l >>> (8 * i));
        }
        yield bytes;
      }
      case String s -> s.getBytes(StandardCharsets.UTF_8);
      default -> throw new IllegalArgumentException(
          "primary keys are BIGINT or VARCHAR, got " + key.getClass().getSimpleName());
    };
  }

  /** The hash of a primary key with {@code seed}. */
  public static int hashKey(Object key, int seed) {
    return hash32(keyBytes(key), seed);
  }

  public static int hash32(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8
          | (data[4 * i + 2] & 0xff) << 16 | (data[4 * i + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int rest = data.length - tail;
    if (rest > 0) {
      int k = 0;
      if (rest == 3) {
        k ^= (data[tail + 2] & 0xff) << 16;
      }
      if (rest >= 2) {
        k ^= (data[tail + 1] & 0xff) << 8;
      }
      k ^= data[tail] & 0xff;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
