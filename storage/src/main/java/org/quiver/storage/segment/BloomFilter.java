package org.quiver.storage.segment;

import java.util.Arrays;
import org.quiver.storage.hash.Murmur3;

/**
 * A bloom filter over primary keys: {@link #mightContain} is never false for a key that was
 * {@link #add added}, and true for a key that was not with about the false-positive rate the
 * filter was sized for.
 *
 * <p>Sizing is the textbook one: {@code m = -n ln p / (ln 2)^2} bits and {@code k = m / n ln 2}
 * probes for {@code n} keys and rate {@code p}. The probes are {@code h1 + i * h2} (Kirsch and
 * Mitzenmacher) over two MurmurHash3 hashes of the key's bytes with fixed seeds, so the bits are
 * the same in every process and can be persisted.
 */
public final class BloomFilter {
  static final int SEED1 = 0;
  static final int SEED2 = 0x5bd1e995;

  private final long[] words;
  private final int hashes;

  BloomFilter(long[] words, int hashes) {
    if (words.length == 0 || hashes < 1) {
      throw new IllegalArgumentException("a bloom filter needs bits and at least one hash");
    }
    this.words = words;
    this.hashes = hashes;
  }

  /** An empty filter sized for {@code expectedKeys} keys at {@code falsePositiveRate}. */
  public static BloomFilter create(long expectedKeys, double falsePositiveRate) {
    if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
      throw new IllegalArgumentException(
          "false-positive rate must be in (0, 1), got " + falsePositiveRate);
    }
    long n = Math.max(1, expectedKeys);
    double ln2 = Math.log(2);
    long bits = (long) Math.ceil(-n * Math.log(falsePositiveRate) / (ln2 * ln2));
    bits = Math.max(64, Math.min(bits, (long) Integer.MAX_VALUE * 64));
    int hashes = (int) Math.max(1, Math.min(30, Math.round((double) bits / n * ln2)));
    return new BloomFilter(new long[(int) ((bits + 63) / 64)], hashes);
  }

  public void add(Object key) {
    byte[] bytes = Murmur3.keyBytes(key);
    int h1 = Murmur3.hash32(bytes, SEED1);
    int h2 = Murmur3.hash32(bytes, SEED2);
    long bits = bitCount();
    for (int i = 0; i < hashes; i++) {
      long bit = Integer.toUnsignedLong(h1 + i * h2) % bits;
      words[(int) (bit >>> 6)] |= 1L << bit;
    }
  }

  public boolean mightContain(Object key) {
    byte[] bytes = Murmur3.keyBytes(key);
    int h1 = Murmur3.hash32(bytes, SEED1);
    int h2 = Murmur3.hash32(bytes, SEED2);
    long bits = bitCount();
    for (int i = 0; i < hashes; i++) {
      long bit = Integer.toUnsignedLong(h1 + i * h2) % bits;
      if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  public long bitCount() {
    return (long) words.length * 64;
  }

  public int hashCount() {
    return hashes;
  }

  long[] words() {
    return words;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BloomFilter b && b.hashes == hashes && Arrays.equals(b.words, words);
  }

  @Override
  public int hashCode() {
    return 31 * hashes + Arrays.hashCode(words);
  }
}
