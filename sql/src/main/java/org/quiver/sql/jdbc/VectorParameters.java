package org.quiver.sql.jdbc;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.remote.TypedValue;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.VectorText;
import org.quiver.jdbc.VectorValue;
import org.quiver.sql.type.BitCasts;
import org.quiver.sql.type.SparsevecCasts;
import org.quiver.sql.type.VectorCasts;

/**
 * The values of an execution's vector parameters as the generated code expects them: a {@link
 * VectorValue}, whether the client bound a {@code float[]} (the embedded driver; the array is
 * wrapped, not formatted) or text (remote drivers); a bit-string parameter's as a {@link
 * BitValue}, bound as one or as its text; a sparse vector parameter's as a {@link
 * org.quiver.jdbc.SparseVectorValue}, likewise.
 *
 * <p>A parameter is a vector when its statement reports it so ({@link #VECTOR_PREFIX}); an
 * operand of a distance function ({@link #ANY_VECTOR}) takes a bound array as a vector and
 * leaves text to the function; any other parameter bound to an array gets the array's text.
 */
public final class VectorParameters {
  /** The type name of a {@code VECTOR(n)} parameter starts so. */
  public static final String VECTOR_PREFIX = "VECTOR(";
  /** The type name of a {@code HALFVEC(n)} parameter starts so. */
  public static final String HALFVEC_PREFIX = "HALFVEC(";
  /** The type name of a {@code BIT(n)} parameter starts so; a {@code BIT} parameter's is BIT. */
  public static final String BIT_PREFIX = "BIT(";
  /** The type name of a {@code SPARSEVEC(n)} parameter starts so; a {@code SPARSEVEC}'s is it. */
  public static final String SPARSEVEC_PREFIX = "SPARSEVEC(";
  /** The type name of a parameter that is a distance function's operand. */
  public static final String ANY_VECTOR = "VECTOR";

  private VectorParameters() {}

  /** Whether {@code text} is a bit string's text: 0s and 1s, at most a BIT(n)'s length. */
  private static boolean isBitText(String text) {
    String s = text.strip();
    if (s.isEmpty() || s.length() > BitValue.MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '0' && s.charAt(i) != '1') {
        return false;
      }
    }
    return true;
  }

  /** {@code values}, each vector parameter's as a {@link VectorValue}, each array's as needed. */
  public static List<TypedValue> convert(List<AvaticaParameter> parameters,
      List<TypedValue> values) {
    List<TypedValue> converted = null;
    for (int i = 0; i < values.size() && i < parameters.size(); i++) {
      String type = parameters.get(i).typeName;
      TypedValue typed = values.get(i);
      Object value = typed == null ? null : typed.toLocal();
      // A bound array is the driver's own copy (JDBC binds a value when it is set): wrapped as is.
      Object local;
      if (value == null || value instanceof VectorValue) {
        continue;
      } else if (type.startsWith(BIT_PREFIX) || type.equals(BitSqlType.NAME)) {
        // A parameter of type BIT(n) takes n bits exactly, bound as a BitValue or as text.
        int length = type.equals(BitSqlType.NAME) ? BitSqlType.ANY_LENGTH
            : parameters.get(i).precision;
        if (value instanceof BitValue bits) {
          BitCasts.withLength(bits, length);
          continue;
        }
        local = BitCasts.withLength(BitCasts.bit(value.toString()), length);
      } else if (type.startsWith(SPARSEVEC_PREFIX) || type.equals(SparsevecSqlType.NAME)) {
        // A parameter of type SPARSEVEC(n) takes n dimensions exactly, bound as a value or text.
        int dimension = type.equals(SparsevecSqlType.NAME) ? SparsevecSqlType.ANY_DIMENSION
            : parameters.get(i).precision;
        local = SparsevecCasts.withDimension(SparsevecCasts.sparse(value), dimension);
        if (local == value) {
          continue;
        }
      } else if (type.startsWith(VECTOR_PREFIX)) {
        local = VectorCasts.toVector(value instanceof float[] array ? VectorValue.wrap(array)
            : value, parameters.get(i).precision);
      } else if (type.startsWith(HALFVEC_PREFIX)) {
        local = VectorCasts.toHalfvec(value, parameters.get(i).precision);
      } else if (type.equals(ANY_VECTOR) && value instanceof float[] array) {
        local = VectorValue.wrap(array);
      } else if (type.equals(ANY_VECTOR) && value instanceof String text && isBitText(text)) {
        // A bit string's text for a distance (ORDER BY b <~> ? LIMIT k): read once here, not
        // once per row by the function. Vector text starts with '[', so nothing else is taken.
        local = BitValue.parse(text);
      } else if (type.equals(ANY_VECTOR) && value instanceof String text
          && text.strip().startsWith("{")) {
        // A sparse vector's text for a distance (ORDER BY s <-> ? LIMIT k): read once here, not
        // once per row by the function. Only a sparse vector's text starts with '{'.
        local = SparsevecCasts.sparse(text);
      } else if (value instanceof float[] array) {
        // An array where SQL asks for something else, such as CAST(? AS VARCHAR): its text.
        local = VectorText.format(array);
      } else {
        continue;
      }
      if (converted == null) {
        converted = new ArrayList<>(values);
      }
      converted.set(i, TypedValue.ofLocal(local instanceof String
          ? ColumnMetaData.Rep.STRING : ColumnMetaData.Rep.OBJECT, local));
    }
    return converted == null ? values : converted;
  }
}
