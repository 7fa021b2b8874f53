package org.quiver.storage.schema;

import java.util.Arrays;

/**
 * The column types Quiver stores, numbered as Milvus numbers them.
 *
 * <p>The numbers are persisted (catalog records, log messages, segment metadata): never renumber.
 * In memory, a column's values are held in primitive arrays (see {@code storage.column}); one value
 * on its own is the boxed Java type named here, a vector a {@code float[]} (a float16 vector too:
 * its elements are floats that float16 holds exactly), a bit string a {@code byte[]}, a sparse
 * vector a {@link org.quiver.storage.vector.SparseVector}.
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
  /**
   * float16 vectors of a fixed dimension (pgvector's halfvec): held in memory as floats rounded to
   * float16, stored in files and the log as float16, half the bytes of a FLOAT_VECTOR.
   */
  FLOAT16_VECTOR(102),
  /**
   * Sparse float32 vectors of a fixed dimension (pgvector's sparsevec, Milvus's number): a {@link
   * org.quiver.storage.vector.SparseVector}, the indices of its non-zero elements (from 0,
   * ascending) and their values.
   */
  SPARSE_FLOAT_VECTOR(104);

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

  /**
   * The bytes of one element of a vector of this type as files and the log store it: 4 for
   * FLOAT_VECTOR, 2 for FLOAT16_VECTOR; 0 for other types.
   */
  public int elementBytes() {
    return switch (this) {
      case FLOAT_VECTOR -> Float.BYTES;
      case FLOAT16_VECTOR -> Short.BYTES;
      default -> 0;
    };
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
