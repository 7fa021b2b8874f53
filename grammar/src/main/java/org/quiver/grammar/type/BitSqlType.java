package org.quiver.grammar.type;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeFamily;
import org.apache.calcite.sql.type.AbstractSqlType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL type {@code BIT(n)}: a bit string of {@code n} bits, PostgreSQL's {@code bit(n)} and
 * pgvector's binary vector, a type of its own in Calcite's type system, named {@code BIT(n)}
 * wherever Calcite prints a type. Its precision is the length; {@code BIT} without a length (in a
 * cast, {@code '101'::bit}) takes the value's and prints as {@code BIT}.
 *
 * <p>Calcite has no type name for it, so it reports {@link SqlTypeName#OTHER}; what makes it a bit
 * string is this class and its own {@link #FAMILY}, which only bit strings belong to: a bit string
 * compares with bit strings, and text meets it only through a cast.
 */
public final class BitSqlType extends AbstractSqlType {

  /** The family of every bit string type, whatever its length. */
  public static final RelDataTypeFamily FAMILY = new RelDataTypeFamily() {
    @Override public String toString() {
      return NAME;
    }
  };

  /** The type's name as SQL writes it, upper case. */
  public static final String NAME = "BIT";

  /** The length of {@code BIT} written without one: the value's. */
  public static final int ANY_LENGTH = -1;

  private final int length;

  private BitSqlType(int length, boolean nullable) {
    super(SqlTypeName.OTHER, nullable, null);
    this.length = length;
    computeDigest();
  }

  /**
   * The canonical {@code BIT(length)} ({@link #ANY_LENGTH}: {@code BIT}), not nullable; nullability
   * changes need a factory that knows the type (Quiver's).
   */
  public static RelDataType of(RelDataTypeFactory factory, int length) {
    return factory.createTypeWithNullability(new BitSqlType(length, false), false);
  }

  /** This type with the given nullability, not yet canonical: for type factories. */
  public BitSqlType withNullability(boolean nullable) {
    return nullable == isNullable() ? this : new BitSqlType(length, nullable);
  }

  /** The number of bits, or {@link #ANY_LENGTH}. */
  public int length() {
    return length;
  }

  @Override public int getPrecision() {
    return length;
  }

  /**
   * The bits of one element, 1, as a vector's scale is the bits of its elements: how the type
   * reaches JDBC's description of a parameter, which Calcite builds from precision, scale and type
   * name alone (Quiver's prepare reads it there and reports a scale of 0).
   */
  @Override public int getScale() {
    return 1;
  }

  @Override public RelDataTypeFamily getFamily() {
    return FAMILY;
  }

  @Override protected void generateTypeString(StringBuilder sb, boolean withDetail) {
    sb.append(NAME);
    if (length != ANY_LENGTH) {
      sb.append('(').append(length).append(')');
    }
  }
}
