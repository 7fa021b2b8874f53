package org.quiver.sql.flight;

import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.util.Text;

/**
 * The parameter values a Flight SQL client binds to a prepared statement: read from its Arrow
 * batches as JDBC objects (a vector as {@code float[]}), and set on the JDBC statement.
 */
final class ParameterRows {
  private ParameterRows() {}

  /** The rows of parameter values a client sent, as JDBC objects. */
  static List<Object[]> read(FlightStream stream) {
    List<Object[]> rows = new ArrayList<>();
    while (stream.next()) {
      VectorSchemaRoot root = stream.getRoot();
      List<FieldVector> vectors = root.getFieldVectors();
      for (int r = 0; r < root.getRowCount(); r++) {
        Object[] row = new Object[vectors.size()];
        for (int c = 0; c < vectors.size(); c++) {
          FieldVector v = vectors.get(c);
          row[c] = v instanceof FixedSizeListVector list && !list.isNull(r)
              && list.getDataVector().getNullCount() == 0
              && list.getDataVector() instanceof Float4Vector data ? floats(list, data, r)
              : v instanceof FixedSizeListVector list && !list.isNull(r)
              && list.getDataVector().getNullCount() == 0
              && list.getDataVector() instanceof Float2Vector halves ? floats(list, halves, r)
              : jdbcValue(v.getObject(r));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Sets {@code row}'s values as the parameters of {@code ps}; nothing for a null row. */
  static void bind(PreparedStatement ps, Object[] row) throws SQLException {
    if (row == null) {
      return;
    }
    for (int i = 0; i < row.length; i++) {
      if (row[i] == null) {
        ps.setNull(i + 1, java.sql.Types.NULL);
      } else {
        ps.setObject(i + 1, row[i]);
      }
    }
  }

  /** A vector parameter's floats, read from the Arrow buffer in one block. */
  private static float[] floats(FixedSizeListVector list, Float4Vector data, int row) {
    int dimension = list.getListSize();
    float[] v = new float[dimension];
    data.getDataBuffer().nioBuffer((long) row * dimension * Float.BYTES, dimension * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  /** A halfvec parameter's elements, float16 widened to float. */
  private static float[] floats(FixedSizeListVector list, Float2Vector data, int row) {
    int dimension = list.getListSize();
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = Float.float16ToFloat(data.get(row * dimension + i));
    }
    return v;
  }

  private static Object jdbcValue(Object arrow) {
    if (arrow instanceof Text t) {
      return t.toString();
    }
    if (arrow instanceof LocalDateTime t) {
      return new java.sql.Timestamp(t.toInstant(ZoneOffset.UTC).toEpochMilli());
    }
    if (arrow instanceof List<?> list) {
      float[] v = new float[list.size()];
      for (int i = 0; i < v.length; i++) {
        Object e = list.get(i);
        if (!(e instanceof Number n)) {
          throw FlightErrors.error("22000", "a vector parameter holds " + e + ", not a number");
        }
        v[i] = n.floatValue();
      }
      return v;
    }
    return arrow;
  }
}
