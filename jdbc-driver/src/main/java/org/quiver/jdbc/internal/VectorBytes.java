package org.quiver.jdbc.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.SQLException;

/**
 * Vectors as byte strings of little-endian float32 values: how Quiver's remote driver and server
 * carry them over Avatica, whose protobuf wire has byte strings but no arrays it can read back.
 *
 * <p>Every bit survives: -0.0, subnormals and the largest finite floats come back as they went.
 */
final class VectorBytes {
  /** SQLSTATE 22000, data exception, as the engine's catalogue names it. */
  private static final String DATA_EXCEPTION = "22000";
  private static final int DATA_EXCEPTION_CODE = 2001;

  private VectorBytes() {}

  static byte[] encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return bytes.array();
  }

  static float[] decode(byte[] bytes) throws SQLException {
    if (bytes.length % Float.BYTES != 0) {
      throw new SQLException("a vector's byte string holds whole float32 values (4 bytes each), "
          + "got " + bytes.length + " bytes", DATA_EXCEPTION, DATA_EXCEPTION_CODE);
    }
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }
}
