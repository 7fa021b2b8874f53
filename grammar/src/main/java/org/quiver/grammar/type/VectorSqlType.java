package org.quiver.grammar.type;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeFamily;
import org.apache.calcite.sql.type.AbstractSqlType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL types of dense vectors, {@code VECTOR(n)} (float32 elements) and {@code HALFVEC(n)}
 * (float16 elements, as pgvector's halfvec): types of their own in Calcite's type system, named so
 * wherever Calcite prints a type. The precision is the dimension.
 *
 * <p>Calcite has no type name for them, so they report {@link SqlTypeName#OTHER}; what makes one a
 * vector is this class and its kind's own family, which only vectors of that kind belong to: a
 * vector compares with vectors of its kind (as in pgvector, a halfvec meets a vector only through a
 * cast), and text meets it only through a cast.
 */
public final class VectorSqlType extends AbstractSqlType {

  /** The kinds of dense vector, each a type family of its own. */
  public enum Kind {
    /** {@code VECTOR(n)}: float32 elements. */
    VECTOR("VECTOR"),
    /** {@code HALFVEC(n)}: float16 elements. */
    HALFVEC("HALFVEC");

    private final String sqlName;
    private final RelDataTypeFamily family;

    Kind(String sqlName) {
      this.sqlName = sqlName;
      this.family = new RelDataTypeFamily() {
        @Override public String toString() {
          return sqlName;
        }
      };
    }

    /** The type's name as SQL writes it, upper case. */
    public String sqlName() {
      return sqlName;
    }

    /** The bits of one element: 32 or 16. */
    public int elementBits() {
      return this == HALFVEC ? 16 : 32;
    }

    /** The name pgvector's messages give the type: {@code vector}, {@code halfvec}. */
    public String typeName() {
      return sqlName.toLowerCase(java.util.Locale.ROOT);
    }

    /** The family of all vectors of this kind, whatever their dimension. */
    public RelDataTypeFamily family() {
      return family;
    }
  }

  /** The family of all {@code VECTOR} types, whatever their dimension. */
  public static final RelDataTypeFamily FAMILY = Kind.VECTOR.family();

  /** The name of {@code VECTOR} as SQL writes it. */
  public static final String NAME = Kind.VECTOR.sqlName();

  private final Kind kind;
  private final int dimension;

  private VectorSqlType(Kind kind, int dimension, boolean nullable) {
    super(SqlTypeName.OTHER, nullable, null);
    this.kind = kind;
    this.dimension = dimension;
    computeDigest();
  }

  /**
   * The canonical {@code VECTOR(dimension)} type of {@code factory}; not nullable. Nullability
   * changes need a factory that knows the type (Quiver's).
   */
  public static RelDataType of(RelDataTypeFactory factory, int dimension) {
    return of(factory, Kind.VECTOR, dimension);
  }

  /** The canonical vector type of {@code kind} and {@code dimension}; not nullable. */
  public static RelDataType of(RelDataTypeFactory factory, Kind kind, int dimension) {
    return factory.createTypeWithNullability(new VectorSqlType(kind, dimension, false), false);
  }

  /** This type with the given nullability, not yet canonical: for type factories. */
  public VectorSqlType withNullability(boolean nullable) {
    return nullable == isNullable() ? this : new VectorSqlType(kind, dimension, nullable);
  }

  public Kind kind() {
    return kind;
  }

  public int dimension() {
    return dimension;
  }

  @Override public int getPrecision() {
    return dimension;
  }

  /**
   * The bits of one element ({@link Kind#elementBits}): a vector has no decimal scale, and this is
   * how the kind reaches JDBC's description of a parameter, which Calcite builds from precision,
   * scale and type name alone (Quiver's prepare reads it there and reports a scale of 0).
   */
  @Override public int getScale() {
    return kind.elementBits();
  }

  @Override public RelDataTypeFamily getFamily() {
    return kind.family();
  }

  @Override protected void generateTypeString(StringBuilder sb, boolean withDetail) {
    sb.append(kind.sqlName()).append('(').append(dimension).append(')');
  }
}
