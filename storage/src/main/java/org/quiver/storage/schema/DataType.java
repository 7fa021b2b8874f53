package org.quiver.storage.schema;

import java.util.Arrays;

/**
 * The column types Quiver stores, numbered as Milvus numbers them.
 *
 * <p>The numbers are persisted (catalog records, log messages, segment metadata): never renumber.
 * In memory, a column's values are held in primitive arrays (see {@code storage.column}); one value
 * on its own is the boxed Java type named here, a vector a {@code float[]}, a bit string a
 * {@code byte[]}.
 */
public enum DataType {
  /** {@link Boolean}. */
  BOOL(1),
  /** {@link Byte}. */
  INT8(2),
  /** {@link Short}. */
  INT16(3),
  /** {@link Integer}. */
  INT32(4),
  /** {@link Long}. */
  INT64(5),
  /** {@link Float}. */
  FLOAT(10),
  /** {@link Double}. */
  DOUBLE(11),
  /** {@link String}. */
  VARCHAR(21),
  /** {@link Long}: milliseconds since the epoch, UTC. */
  TIMESTAMP(26),
  /**
   * Bit strings of a fixed length (pgvector's {@code bit(n)}), the dimension being the number of
   * bits: a {@code byte[]} of {@code ceil(n / 8)} bytes, the bits packed most significant first and
   * the unused low bits of the last byte zero.
   */
  BINARY_VECTOR(100),
  /** float32 vectors of a fixed dimension. */
  FLOAT_VECTOR(101),
  /** float16 vectors of a fixed dimension (pgvector's halfvec), a {@code float[]} in memory. */
  FLOAT16_VECTOR(102);

  private final int number;

  DataType(int number) {
    this.number = number;
  }

  /** The persisted number of this type. */
  public int number() {
    return number;
  }

  public boolean isVector() {
    return this == FLOAT_VECTOR || this == FLOAT16_VECTOR;
  }

  /** The bytes of one value of a {@link #BINARY_VECTOR} of {@code bits} bits. */
  public static int bitBytes(int bits) {
    return (bits + 7) >>> 3;
  }

  public static DataType ofNumber(int number) {
    return Arrays.stream(values())
        .filter(t -> t.number == number)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown data type number " + number));
  }
}
