package org.quiver.storage.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.quiver.storage.schema.DataType;

/**
 * The primary-key statistics of a sealed segment: the smallest and largest key and a bloom filter
 * of every key the segment mentions (its rows' keys and its delete records' keys), so that a
 * lookup of a key touches only the segments that may hold it.
 *
 * <h2>File format</h2>
 *
 * The file {@value #FILE_NAME}, listed in the manifest with its size and CRC32C like every other
 * file of the segment; big-endian:
 *
 * <pre>
 * magic "QPKS" | version int (1) | key type int (DataType number) | key count long
 * | [min key, max key: a long each for BIGINT, length int + UTF-8 bytes each for VARCHAR; absent
 *    when the count is 0]
 * | hash count int | word count int | bloom words long[word count]
 * </pre>
 *
 * @param keyType {@link DataType#INT64} or {@link DataType#VARCHAR}
 * @param keyCount keys added (a key added twice counts twice)
 * @param min the smallest key, null when there is none
 * @param max the largest key, null when there is none
 * @param bloom the keys' bloom filter
 */
public record PrimaryKeyStats(
    DataType keyType, long keyCount, Object min, Object max, BloomFilter bloom) {

  public static final String FILE_NAME = "pkstats.bin";
  /** The false-positive rate segments' filters are sized for (Milvus's default too). */
  public static final double FALSE_POSITIVE_RATE = 0.01;
  private static final int MAGIC = 0x51504b53;
  private static final int VERSION = 1;

  public PrimaryKeyStats {
    if (keyType != DataType.INT64 && keyType != DataType.VARCHAR) {
      throw new IllegalArgumentException("primary keys are INT64 or VARCHAR, got " + keyType);
    }
  }

  /** The statistics of {@code keys} (Long or String, non-null; duplicates allowed). */
  public static PrimaryKeyStats of(DataType keyType, Object[]... keys) {
    long n = 0;
    for (Object[] part : keys) {
      n += part.length;
    }
    BloomFilter bloom = BloomFilter.create(n, FALSE_POSITIVE_RATE);
    Comparable<Object> min = null;
    Comparable<Object> max = null;
    for (Object[] part : keys) {
      for (Object key : part) {
        @SuppressWarnings("unchecked")
        Comparable<Object> k = (Comparable<Object>) key;
        bloom.add(key);
        if (min == null || k.compareTo(min) < 0) {
          min = k;
        }
        if (max == null || k.compareTo(max) > 0) {
          max = k;
        }
      }
    }
    return new PrimaryKeyStats(keyType, n, min, max, bloom);
  }

  /** False only when the segment certainly does not mention {@code key}. */
  @SuppressWarnings("unchecked")
  public boolean mightContain(Object key) {
    if (keyCount == 0 || ((Comparable<Object>) key).compareTo(min) < 0
        || ((Comparable<Object>) key).compareTo(max) > 0) {
      return false;
    }
    return bloom.mightContain(key);
  }

  /** Writes {@code dir/pkstats.bin} atomically; returns its entry for the manifest. */
  public FileInfo write(Path dir) throws IOException {
    byte[] minBytes = keyBytes(min);
    byte[] maxBytes = keyBytes(max);
    long[] words = bloom.words();
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 + 4 + 8 + minBytes.length + maxBytes.length
        + 4 + 4 + words.length * 8);
    buf.putInt(MAGIC).putInt(VERSION).putInt(keyType.number()).putLong(keyCount);
    buf.put(minBytes).put(maxBytes);
    buf.putInt(bloom.hashCount()).putInt(words.length);
    for (long w : words) {
      buf.putLong(w);
    }
    buf.flip();
    return SegmentIo.writeAtomically(dir, FILE_NAME, out -> {
      while (buf.hasRemaining()) {
        out.write(buf);
      }
    });
  }

  /**
   * Reads the statistics of a segment after checking the file against the manifest, or null when
   * the manifest lists none (a segment written before they existed).
   *
   * @throws CorruptSegmentException naming the file when it fails verification or parsing
   */
  public static PrimaryKeyStats read(Path dir, SegmentManifest manifest) throws IOException {
    FileInfo expected = manifest.file(FILE_NAME).orElse(null);
    if (expected == null) {
      return null;
    }
    SegmentIo.verify(dir, expected);
    Path file = dir.resolve(FILE_NAME);
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
    try {
      if (buf.getInt() != MAGIC) {
        throw new CorruptSegmentException(file, "not a primary-key statistics file");
      }
      int version = buf.getInt();
      if (version != VERSION) {
        throw new CorruptSegmentException(file, "unsupported version " + version);
      }
      DataType type = DataType.ofNumber(buf.getInt());
      long count = buf.getLong();
      Object min = count == 0 ? null : readKey(buf, type);
      Object max = count == 0 ? null : readKey(buf, type);
      int hashes = buf.getInt();
      long[] words = new long[buf.getInt()];
      for (int i = 0; i < words.length; i++) {
        words[i] = buf.getLong();
      }
      if (buf.hasRemaining()) {
        throw new CorruptSegmentException(file, buf.remaining() + " bytes after the bloom filter");
      }
      return new PrimaryKeyStats(type, count, min, max, new BloomFilter(words, hashes));
    } catch (RuntimeException e) {
      throw new CorruptSegmentException(file, "cannot be parsed: " + e, e);
    }
  }

  private byte[] keyBytes(Object key) {
    if (key == null) {
      return new byte[0];
    }
    if (keyType == DataType.INT64) {
      return ByteBuffer.allocate(8).putLong((Long) key).array();
    }
    byte[] utf8 = ((String) key).getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
  }

  private static Object readKey(ByteBuffer buf, DataType type) {
    if (type == DataType.INT64) {
      return buf.getLong();
    }
    byte[] utf8 = new byte[buf.getInt()];
    buf.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
