package org.quiver.grammar.type;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeFamily;
import org.apache.calcite.sql.type.AbstractSqlType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL type {@code SPARSEVEC(n)}: pgvector's sparse vector of {@code n} dimensions, a type of
 * its own in Calcite's type system, named {@code SPARSEVEC(n)} wherever Calcite prints a type. Its
 * precision is the dimension; {@code SPARSEVEC} without one (in a cast, {@code
 * '{1:1}/3'::sparsevec}) takes the value's and prints as {@code SPARSEVEC}.
 *
 * <p>Calcite has no type name for it, so it reports {@link SqlTypeName#OTHER}; what makes it a
 * sparse vector is this class and its own {@link #FAMILY}: a sparse vector compares with sparse
 * vectors, and text or a dense vector meets it only through a cast, as in pgvector.
 */
public final class SparsevecSqlType extends AbstractSqlType {

  /** The family of every sparse vector type, whatever its dimension. */
  public static final RelDataTypeFamily FAMILY = new RelDataTypeFamily() {
    @Override public String toString() {
      return NAME;
    }
  };

  /** The type's name as SQL writes it, upper case. */
  public static final String NAME = "SPARSEVEC";

  /** The dimension of {@code SPARSEVEC} written without one: the value's. */
  public static final int ANY_DIMENSION = -1;

  /**
   * What {@link #getScale} reports, as a vector reports the bits of its elements: the marker by
   * which Quiver's prepare tells a sparse vector parameter from a dense one.
   */
  public static final int SCALE = 64;

  private final int dimension;

  private SparsevecSqlType(int dimension, boolean nullable) {
    super(SqlTypeName.OTHER, nullable, null);
    this.dimension = dimension;
    computeDigest();
  }

  /**
   * The canonical {@code SPARSEVEC(dimension)} ({@link #ANY_DIMENSION}: {@code SPARSEVEC}), not
   * nullable; nullability changes need a factory that knows the type (Quiver's).
   */
  public static RelDataType of(RelDataTypeFactory factory, int dimension) {
    return factory.createTypeWithNullability(new SparsevecSqlType(dimension, false), false);
  }

  /** This type with the given nullability, not yet canonical: for type factories. */
  public SparsevecSqlType withNullability(boolean nullable) {
    return nullable == isNullable() ? this : new SparsevecSqlType(dimension, nullable);
  }

  /** The number of dimensions, or {@link #ANY_DIMENSION}. */
  public int dimension() {
    return dimension;
  }

  @Override public int getPrecision() {
    return dimension;
  }

  /**
   * {@link #SCALE}: how the type reaches JDBC's description of a parameter, which Calcite builds
   * from precision, scale and type name alone (Quiver's prepare reads it there and reports a
   * scale of 0).
   */
  @Override public int getScale() {
    return SCALE;
  }

  @Override public RelDataTypeFamily getFamily() {
    return FAMILY;
  }

  @Override protected void generateTypeString(StringBuilder sb, boolean withDetail) {
    sb.append(NAME);
    if (dimension != ANY_DIMENSION) {
      sb.append('(').append(dimension).append(')');
    }
  }
}
