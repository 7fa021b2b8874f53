package org.quiver.jdbc.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorText;
import org.quiver.jdbc.VectorValue;

/**
 * The binary forms in which Quiver's remote driver and server carry vector values over Avatica,
 * whose protobuf wire has byte strings but no arrays it can read back. All numbers little-endian:
 *
 * <ul>
 *   <li>VECTOR(n): n float32, 4n bytes.
 *   <li>HALFVEC(n): n IEEE float16, 2n bytes.
 *   <li>BIT(n): an int32 bit count, then the bits packed most significant first
 *       ({@link BitValue#toByteArray()}), {@code 4 + ceil(n / 8)} bytes.
 *   <li>SPARSEVEC(n): int32 dimension, int32 count k of non-zero elements, k int32 indices
 *       (from 0, strictly ascending), k float32 values; {@code 8 + 8k} bytes.
 * </ul>
 *
 * <p>Both sides pick the layout of a byte string from the type name of its column or parameter
 * ({@link Kind#of}), never from the bytes. Every bit of a value survives, except a NaN's (which no
 * vector type stores) sent as a halfvec: float16 keeps its sign and the top 10 bits of its
 * payload, and it arrives a quiet NaN.
 */
final class VectorBytes {
  /**
   * SQLSTATE 22000, data exception, and Quiver's code for it, as the engine's catalogue names
   * them: with both, the server passes the error on as it is.
   */
  private static final String DATA_EXCEPTION = "22000";
  private static final int DATA_EXCEPTION_CODE = 2001;
  /** SQLSTATE 54000, program limit exceeded, and Quiver's code for it. */
  private static final int LIMIT_EXCEEDED_CODE = 5005;
  private static final int BIT_HEADER = Integer.BYTES;
  private static final int SPARSE_HEADER = 2 * Integer.BYTES;

  private VectorBytes() {}

  /** The vector types that have a binary form, each named by its SQL type. */
  enum Kind {
    VECTOR, HALFVEC, BIT, SPARSEVEC;

    /** The kind of a column or parameter of JDBC type name {@code typeName}; null if none. */
    static Kind of(String typeName) {
      if (VectorText.isVectorTypeName(typeName)) {
        return typeName.regionMatches(true, 0, "HALFVEC", 0, 7) ? HALFVEC : VECTOR;
      }
      if (BitValue.isTypeName(typeName)) {
        return BIT;
      }
      return SparseVectorValue.isTypeName(typeName) ? SPARSEVEC : null;
    }

    /** Whether values of this kind are dense vectors, handed to applications as float[]. */
    boolean dense() {
      return this == VECTOR || this == HALFVEC;
    }

    /**
     * The value in {@code bytes}: float[] for VECTOR and HALFVEC, else a {@link BitValue} or a
     * {@link SparseVectorValue}.
     *
     * @throws SQLException naming what is wrong with the bytes
     */
    Object decode(byte[] bytes) throws SQLException {
      return switch (this) {
        case VECTOR -> VectorBytes.decode(bytes);
        case HALFVEC -> decodeHalf(bytes);
        case BIT -> decodeBits(bytes);
        case SPARSEVEC -> decodeSparse(bytes);
      };
    }

    /**
     * The bytes of {@code value} (float[], {@link VectorValue}, {@link BitValue} or {@link
     * SparseVectorValue}) for a column or parameter of this kind; null if the value is not of
     * this kind, or is a dense vector that float16 cannot hold (for a halfvec). A dense vector
     * for a sparsevec becomes its non-zero elements, as the engine casts it; null if it has no
     * sparsevec (a NaN, too many non-zero elements).
     */
    byte[] encode(Object value) {
      float[] dense = value instanceof float[] f ? f
          : value instanceof VectorValue v ? v.elements() : null;
      return switch (this) {
        case VECTOR -> dense == null ? null : VectorBytes.encode(dense);
        case HALFVEC -> dense == null ? null : encodeHalf(dense);
        case BIT -> value instanceof BitValue b ? encodeBits(b) : null;
        case SPARSEVEC -> value instanceof SparseVectorValue s ? encodeSparse(s)
            : dense == null ? null : encodeSparse(dense);
      };
    }

    /** The text of {@code value}, a byte string of this kind or a value, as the engine has it. */
    String text(Object value) throws SQLException {
      if (value == null) {
        return null;
      }
      if (!(value instanceof byte[] bytes)) {
        return value.toString();
      }
      Object decoded = decode(bytes);
      return decoded instanceof float[] f ? VectorText.format(f) : decoded.toString();
    }
  }

  /**
   * What a value an application set is sent as, for a parameter the server describes with JDBC
   * type name {@code typeName} and type {@code type}: if the value is a vector value, its bytes
   * if it is of the parameter's kind; its text if it is of another kind (the server casts text as
   * it casts a string parameter), or a dense vector that float16 cannot hold for a halfvec, so
   * that the server raises its out-of-range error at execution as it would for that text, or if
   * the server describes a vector parameter as text (a server from before the typed wire, which
   * did not answer {@link VectorJdbc#TYPED}); the float32 bytes of a dense vector for a parameter
   * of no vector type. Any other value is sent as it is.
   */
  static Object wireForm(Object value, String typeName, int type) {
    boolean dense = value instanceof float[] || value instanceof VectorValue;
    if (!dense && !(value instanceof BitValue) && !(value instanceof SparseVectorValue)) {
      return value;
    }
    Kind parameter = Kind.of(typeName);
    Kind kind = parameter == null && dense ? Kind.VECTOR : parameter;
    byte[] bytes = kind == null || parameter != null && type != Types.BINARY ? null
        : kind.encode(value);
    if (bytes != null) {
      return bytes;
    }
    return value instanceof float[] f ? VectorText.format(f) : value.toString();
  }

  static byte[] encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return bytes.array();
  }

  static float[] decode(byte[] bytes) throws SQLException {
    if (bytes.length % Float.BYTES != 0) {
      throw invalid("a vector's byte string holds whole float32 values (4 bytes each), got "
          + bytes.length + " bytes");
    }
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }

  /** The float16 bytes of {@code vector}; null if an element rounds past float16's range. */
  static byte[] encodeHalf(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Short.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (float x : vector) {
      short half = toHalf(x);
      if ((half & 0x7fff) == 0x7c00 && !Float.isInfinite(x)) {
        return null;
      }
      bytes.putShort(half);
    }
    return bytes.array();
  }

  static float[] decodeHalf(byte[] bytes) throws SQLException {
    if (bytes.length % Short.BYTES != 0) {
      throw invalid("a halfvec's byte string holds whole float16 values (2 bytes each), got "
          + bytes.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[bytes.length / Short.BYTES];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = fromHalf(in.getShort());
    }
    return vector;
  }

  static byte[] encodeBits(BitValue bits) {
    byte[] packed = bits.bytes();
    return ByteBuffer.allocate(BIT_HEADER + packed.length).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(bits.length()).put(packed).array();
  }

  static BitValue decodeBits(byte[] bytes) throws SQLException {
    if (bytes.length < BIT_HEADER) {
      throw invalid("a bit string's byte string starts with its 4-byte bit count, got "
          + bytes.length + " bytes");
    }
    int length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (length < 1 || length > BitValue.MAX_LENGTH) {
      throw invalid("a bit string's byte string gives a bit count of " + length
          + ", not in [1, " + BitValue.MAX_LENGTH + "]");
    }
    if (bytes.length - BIT_HEADER != BitValue.byteLength(length)) {
      throw invalid("a bit string of " + length + " bits takes " + BitValue.byteLength(length)
          + " bytes after its bit count, got " + (bytes.length - BIT_HEADER));
    }
    try {
      return BitValue.wrap(length, Arrays.copyOfRange(bytes, BIT_HEADER, bytes.length));
    } catch (IllegalArgumentException e) {
      // The message says it all; a runtime cause would make the server report an internal error.
      throw invalid(e.getMessage());
    }
  }

  static byte[] encodeSparse(SparseVectorValue vector) {
    int k = vector.nonZeros();
    ByteBuffer out = ByteBuffer.allocate(SPARSE_HEADER + k * (Integer.BYTES + Float.BYTES))
        .order(ByteOrder.LITTLE_ENDIAN).putInt(vector.dimension()).putInt(k);
    for (int i = 0; i < k; i++) {
      out.putInt(vector.indexAt(i));
    }
    for (int i = 0; i < k; i++) {
      out.putFloat(vector.valueAt(i));
    }
    return out.array();
  }

  /** The bytes of the non-zero elements of {@code dense}; null if they make no sparsevec. */
  private static byte[] encodeSparse(float[] dense) {
    try {
      return encodeSparse(SparseVectorValue.fromDense(dense));
    } catch (SparseVectorValue.Invalid e) {
      return null;
    }
  }

  /**
   * The sparse vector in {@code bytes}, checked as pgvector checks its binary input: the
   * SQLSTATEs are those of {@link SparseVectorValue}, and a zero value is refused rather than
   * dropped, since no encoder writes one.
   */
  static SparseVectorValue decodeSparse(byte[] bytes) throws SQLException {
    if (bytes.length < SPARSE_HEADER) {
      throw invalid("a sparsevec's byte string starts with its dimension and its count of "
          + "non-zero elements (8 bytes), got " + bytes.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int dimension = in.getInt();
    int k = in.getInt();
    if (k < 0) {
      throw invalid("a sparsevec's byte string gives a negative count of non-zero elements: "
          + k);
    }
    if (k > SparseVectorValue.MAX_NONZEROS) {
      throw new SQLException("sparsevec cannot have more than " + SparseVectorValue.MAX_NONZEROS
          + " non-zero elements, its byte string gives " + k, SparseVectorValue.LIMIT_EXCEEDED,
          LIMIT_EXCEEDED_CODE);
    }
    if (dimension > 0 && k > dimension) {
      throw invalid("a sparsevec of " + dimension + " dimensions cannot have " + k
          + " non-zero elements");
    }
    long expected = SPARSE_HEADER + (long) k * (Integer.BYTES + Float.BYTES);
    if (bytes.length != expected) {
      throw invalid("a sparsevec's byte string with " + k + " non-zero elements takes "
          + expected + " bytes, got " + bytes.length);
    }
    int[] indices = new int[k];
    float[] values = new float[k];
    for (int i = 0; i < k; i++) {
      indices[i] = in.getInt();
    }
    for (int i = 0; i < k; i++) {
      values[i] = in.getFloat();
      if (values[i] == 0) {
        throw invalid("a sparsevec's byte string holds a zero value, at index " + indices[i]);
      }
    }
    try {
      return SparseVectorValue.of(dimension, indices, values);
    } catch (SparseVectorValue.Invalid e) {
      // The message says it all; a runtime cause would make the server report an internal error.
      boolean limit = e.sqlState().equals(SparseVectorValue.LIMIT_EXCEEDED);
      throw new SQLException(e.getMessage(), e.sqlState(),
          limit ? LIMIT_EXCEEDED_CODE : DATA_EXCEPTION_CODE);
    }
  }

  /**
   * {@code x} rounded to the nearest float16, ties to even, as {@code Float.floatToFloat16} of
   * Java 20 (this module runs on Java 17): past float16's range infinity; a NaN stays a quiet
   * NaN with its sign and the top of its payload.
   */
  static short toHalf(float x) {
    int bits = Float.floatToRawIntBits(x);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fff_ffff;
    if (abs > 0x7f80_0000) {
      return (short) (sign | 0x7e00 | (abs >>> 13) & 0x03ff);
    }
    // 65520 is halfway between float16's largest finite value 65504 and 65536: ties to even
    // round it up, so it and everything above become infinity.
    if (abs >= 0x477f_f000) {
      return (short) (sign | 0x7c00);
    }
    if (abs < 0x3880_0000) {
      // Below float16's smallest normal (2^-14): a count of its smallest subnormal, 2^-24.
      // Scaling by 2^24 is exact, and rint rounds ties to even; 1024 rounds up to that normal.
      return (short) (sign | (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24f));
    }
    // Rebias the exponent (127 to 15) and round away 13 significand bits, ties to even; a carry
    // out of the significand lands in the exponent, as it should.
    int rounded = abs + 0x0fff + ((abs >>> 13) & 1);
    return (short) (sign | (rounded - 0x3800_0000) >>> 13);
  }

  /**
   * The float equal to float16 {@code half}, as {@code Float.float16ToFloat} of Java 20: a NaN
   * becomes a quiet NaN with its sign and payload.
   */
  static float fromHalf(short half) {
    int sign = (half & 0x8000) << 16;
    int exponent = (half >>> 10) & 0x1f;
    int significand = half & 0x03ff;
    if (exponent == 0x1f) {
      int quiet = significand == 0 ? 0 : 0x0040_0000;
      return Float.intBitsToFloat(sign | 0x7f80_0000 | quiet | significand << 13);
    }
    if (exponent == 0) {
      float subnormal = significand * 0x1p-24f;
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | (exponent + 112) << 23 | significand << 13);
  }

  private static SQLException invalid(String message) {
    return new SQLException(message, DATA_EXCEPTION, DATA_EXCEPTION_CODE);
  }
}
