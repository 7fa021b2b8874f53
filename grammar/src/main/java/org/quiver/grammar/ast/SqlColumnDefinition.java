package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One column of CREATE TABLE: {@code name type [NOT NULL] [PRIMARY KEY]}.
 *
 * <p>The flags are as written: a PRIMARY KEY column without NOT NULL has {@code notNull()} false,
 * and the type spec's own nullability is left unspecified; the SQL layer applies the rules.
 */
public final class SqlColumnDefinition extends SqlCall {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("COLUMN_DECL", SqlKind.COLUMN_DECL);

  private final SqlIdentifier name;
  private final SqlDataTypeSpec type;
  private final boolean notNull;
  private final boolean primaryKey;

  /** Creates a column definition. */
  public SqlColumnDefinition(SqlParserPos pos, SqlIdentifier name, SqlDataTypeSpec type,
      boolean notNull, boolean primaryKey) {
    super(pos);
    this.name = requireNonNull(name, "name");
    this.type = requireNonNull(type, "type");
    this.notNull = notNull;
    this.primaryKey = primaryKey;
  }

  /** Returns the column's name. */
  public SqlIdentifier name() {
    return name;
  }

  /** Returns the column's type as written. */
  public SqlDataTypeSpec type() {
    return type;
  }

  /** Returns whether NOT NULL was written. */
  public boolean notNull() {
    return notNull;
  }

  /** Returns whether PRIMARY KEY was written on the column itself. */
  public boolean primaryKey() {
    return primaryKey;
  }

  /** Returns whether the column's type is {@code VECTOR(n)}. */
  public boolean isVector() {
    return type.getTypeNameSpec() instanceof SqlVectorTypeNameSpec;
  }

  /** Returns whether the column's type is {@code SPARSEVEC(n)} or {@code SPARSEVEC}. */
  public boolean isSparsevec() {
    return type.getTypeNameSpec() instanceof SqlSparsevecTypeNameSpec;
  }

  /**
   * Returns n of the column's type {@code SPARSEVEC(n)}, or {@link
   * org.quiver.grammar.type.SparsevecSqlType#ANY_DIMENSION} for {@code SPARSEVEC}; fails if the
   * column is not a sparse vector.
   */
  public int sparsevecDimension() {
    if (type.getTypeNameSpec() instanceof SqlSparsevecTypeNameSpec sparse) {
      return sparse.dimension();
    }
    throw new IllegalStateException("column " + name + " is not a sparse vector, its type is "
        + type);
  }

  /** Returns whether the column's type is {@code BIT(n)} or {@code BIT}. */
  public boolean isBit() {
    return type.getTypeNameSpec() instanceof SqlBitTypeNameSpec;
  }

  /**
   * Returns n of the column's type {@code BIT(n)}, or {@link
   * org.quiver.grammar.type.BitSqlType#ANY_LENGTH} for {@code BIT}; fails if the column is not a
   * bit string.
   */
  public int bitLength() {
    if (type.getTypeNameSpec() instanceof SqlBitTypeNameSpec bit) {
      return bit.length();
    }
    throw new IllegalStateException("column " + name + " is not a bit string, its type is " + type);
  }

  /** Returns the kind of the column's vector type; fails if the column is not a vector. */
  public org.quiver.grammar.type.VectorSqlType.Kind vectorKind() {
    if (type.getTypeNameSpec() instanceof SqlVectorTypeNameSpec vector) {
      return vector.kind();
    }
    throw new IllegalStateException("column " + name + " is not a vector, its type is " + type);
  }

  /** Returns n of the column's type {@code VECTOR(n)}; fails if the column is not a vector. */
  public int vectorDimension() {
    if (type.getTypeNameSpec() instanceof SqlVectorTypeNameSpec vector) {
      return vector.dimension();
    }
    throw new IllegalStateException("column " + name + " is not a vector, its type is " + type);
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(name, type);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    name.unparse(writer, 0, 0);
    type.unparse(writer, 0, 0);
    if (notNull) {
      writer.keyword("NOT NULL");
    }
    if (primaryKey) {
      writer.keyword("PRIMARY KEY");
    }
  }
}
