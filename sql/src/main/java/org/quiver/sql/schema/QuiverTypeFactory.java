package org.quiver.sql.schema;

import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorValue;

/**
 * Calcite's Java type factory, knowing Quiver's {@link VectorSqlType} (its nullable variants, its
 * Java value class {@link VectorValue} in generated code, and the common type of vectors) and
 * {@link BitSqlType} (likewise, with {@link BitValue}) and {@link SparsevecSqlType} (with {@link
 * SparseVectorValue}), with
 * UTF-8 as the character set of every string type and literal, so that text in any script (and
 * beyond the Basic Multilingual Plane) is a value like any other; Calcite's default, ISO-8859-1,
 * cannot even hold {@code '中'}.
 */
public final class QuiverTypeFactory extends JavaTypeFactoryImpl {

  /** A factory over {@link QuiverTypeSystem}. */
  public QuiverTypeFactory() {
    this(QuiverTypeSystem.INSTANCE);
  }

  public QuiverTypeFactory(RelDataTypeSystem typeSystem) {
    super(typeSystem);
  }

  @Override public Charset getDefaultCharset() {
    return StandardCharsets.UTF_8;
  }

  @Override public Type getJavaClass(RelDataType type) {
    return type instanceof VectorSqlType ? VectorValue.class
        : type instanceof BitSqlType ? BitValue.class
        : type instanceof SparsevecSqlType ? SparseVectorValue.class : super.getJavaClass(type);
  }

  @Override public RelDataType createTypeWithNullability(RelDataType type, boolean nullable) {
    if (type instanceof VectorSqlType vector) {
      return canonize(vector.withNullability(nullable));
    }
    if (type instanceof BitSqlType bits) {
      return canonize(bits.withNullability(nullable));
    }
    if (type instanceof SparsevecSqlType sparse) {
      return canonize(sparse.withNullability(nullable));
    }
    return super.createTypeWithNullability(type, nullable);
  }

  @Override public RelDataType enforceTypeWithNullability(RelDataType type, boolean nullable) {
    if (type instanceof VectorSqlType vector) {
      return canonize(vector.withNullability(nullable));
    }
    if (type instanceof BitSqlType bits) {
      return canonize(bits.withNullability(nullable));
    }
    if (type instanceof SparsevecSqlType sparse) {
      return canonize(sparse.withNullability(nullable));
    }
    return super.enforceTypeWithNullability(type, nullable);
  }

  /**
   * Vectors of one kind and dimension have that vector type in common with NULLs and with text, which the
   * vector type casts from (a bracket literal is text until it meets a vector: in {@code VALUES
   * ([1, 2]), (NULL)} for a vector column the NULL is already typed as the column); nothing else
   * has a type in common with a vector.
   */
  @Override public @Nullable RelDataType leastRestrictive(List<RelDataType> types) {
    if (types.stream().anyMatch(t -> t instanceof BitSqlType)) {
      return leastRestrictiveBits(types);
    }
    if (types.stream().anyMatch(t -> t instanceof SparsevecSqlType)) {
      return leastRestrictiveSparse(types);
    }
    VectorSqlType vector = null;
    boolean nullable = false;
    for (RelDataType t : types) {
      if (t instanceof VectorSqlType v) {
        if (vector != null
            && (vector.kind() != v.kind() || vector.dimension() != v.dimension())) {
          return null;
        }
        vector = v;
      }
      nullable |= t.isNullable();
    }
    if (vector == null) {
      return super.leastRestrictive(types);
    }
    for (RelDataType t : types) {
      if (!(t instanceof VectorSqlType) && t.getSqlTypeName() != SqlTypeName.NULL
          && !SqlTypeUtil.isCharacter(t)) {
        return null;
      }
    }
    return createTypeWithNullability(vector, nullable);
  }

  /**
   * Bit strings have a bit type in common with NULLs and with text, which it casts from: {@code
   * BIT(n)} when all are n bits long, else {@code BIT} (as PostgreSQL's {@code bit} without a
   * length); nothing else has a type in common with a bit string.
   */
  private @Nullable RelDataType leastRestrictiveBits(List<RelDataType> types) {
    int length = 0;
    boolean nullable = false;
    for (RelDataType t : types) {
      if (t instanceof BitSqlType bits) {
        length = length == 0 || length == bits.length() ? bits.length() : BitSqlType.ANY_LENGTH;
      } else if (t.getSqlTypeName() != SqlTypeName.NULL && !SqlTypeUtil.isCharacter(t)) {
        return null;
      }
      nullable |= t.isNullable();
    }
    return createTypeWithNullability(BitSqlType.of(this, length), nullable);
  }

  /**
   * Sparse vectors have a type in common with NULLs and with text, which they cast from: {@code
   * SPARSEVEC(n)} when all have n dimensions, else {@code SPARSEVEC}; nothing else has a type in
   * common with a sparse vector.
   */
  private @Nullable RelDataType leastRestrictiveSparse(List<RelDataType> types) {
    int dimension = 0;
    boolean nullable = false;
    for (RelDataType t : types) {
      if (t instanceof SparsevecSqlType sparse) {
        dimension = dimension == 0 || dimension == sparse.dimension() ? sparse.dimension()
            : SparsevecSqlType.ANY_DIMENSION;
      } else if (t.getSqlTypeName() != SqlTypeName.NULL && !SqlTypeUtil.isCharacter(t)) {
        return null;
      }
      nullable |= t.isNullable();
    }
    return createTypeWithNullability(SparsevecSqlType.of(this, dimension), nullable);
  }
}
