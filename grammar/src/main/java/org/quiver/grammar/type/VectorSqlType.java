package org.quiver.grammar.type;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeFamily;
import org.apache.calcite.sql.type.AbstractSqlType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL type {@code VECTOR(n)}: a vector of {@code n} floats, a type of its own in Calcite's type
 * system, named {@code VECTOR(n)} wherever Calcite prints a type. Its precision is the dimension.
 *
 * <p>Calcite has no type name for it, so it reports {@link SqlTypeName#OTHER}; what makes it a
 * vector is this class and its own {@link #FAMILY}, which only vectors belong to (so a vector
 * compares with vectors, and text meets it only through a cast).
 */
public final class VectorSqlType extends AbstractSqlType {
  /** The family of all vector types, whatever their dimension. */
  public static final RelDataTypeFamily FAMILY = new RelDataTypeFamily() {
    @Override public String toString() {
      return "VECTOR";
    }
  };

  /** The type's name as SQL writes it. */
  public static final String NAME = "VECTOR";

  private final int dimension;

  private VectorSqlType(int dimension, boolean nullable) {
    super(SqlTypeName.OTHER, nullable, null);
    this.dimension = dimension;
    computeDigest();
  }

  /**
   * The canonical {@code VECTOR(dimension)} type of {@code factory}; not nullable. Nullability
   * changes need a factory that knows the type (Quiver's).
   */
  public static RelDataType of(RelDataTypeFactory factory, int dimension) {
    return factory.createTypeWithNullability(new VectorSqlType(dimension, false), false);
  }

  /** This type with the given nullability, not yet canonical: for type factories. */
  public VectorSqlType withNullability(boolean nullable) {
    return nullable == isNullable() ? this : new VectorSqlType(dimension, nullable);
  }

  public int dimension() {
    return dimension;
  }

  @Override public int getPrecision() {
    return dimension;
  }

  @Override public RelDataTypeFamily getFamily() {
    return FAMILY;
  }

  @Override protected void generateTypeString(StringBuilder sb, boolean withDetail) {
    sb.append(NAME).append('(').append(dimension).append(')');
  }
}
