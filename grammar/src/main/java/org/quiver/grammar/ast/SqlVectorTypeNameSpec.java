package org.quiver.grammar.ast;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.util.Litmus;
import org.quiver.grammar.type.VectorSqlType;

/**
 * The type {@code VECTOR(dimension)} or {@code HALFVEC(dimension)} as written; it derives Quiver's
 * {@link VectorSqlType}.
 */
public final class SqlVectorTypeNameSpec extends SqlTypeNameSpec {

  /** The dimension of a vector type written without one: the value's. */
  public static final int ANY_DIMENSION = -1;

  private final VectorSqlType.Kind kind;
  private final int dimension;

  /** A {@code VECTOR} type; the dimension is not checked here, the SQL layer checks its bounds. */
  public SqlVectorTypeNameSpec(int dimension, SqlParserPos pos) {
    this(VectorSqlType.Kind.VECTOR, dimension, pos);
  }

  /** Creates the spec; the dimension is not checked here, the SQL layer checks its bounds. */
  public SqlVectorTypeNameSpec(VectorSqlType.Kind kind, int dimension, SqlParserPos pos) {
    super(new SqlIdentifier(kind.sqlName(), pos), pos);
    this.kind = kind;
    this.dimension = dimension;
  }

  public VectorSqlType.Kind kind() {
    return kind;
  }

  /** Returns the number of elements declared, as written, or {@link #ANY_DIMENSION}. */
  public int dimension() {
    return dimension;
  }

  @Override public RelDataType deriveType(SqlValidator validator) {
    return VectorSqlType.of(validator.getTypeFactory(), kind, dimension);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(kind.sqlName());
    if (dimension == ANY_DIMENSION) {
      return;
    }
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.FUN_CALL, "(", ")");
    writer.print(dimension);
    writer.endList(frame);
  }

  @Override public boolean equalsDeep(SqlTypeNameSpec spec, Litmus litmus) {
    if (spec instanceof SqlVectorTypeNameSpec that && that.kind == kind && that.dimension == dimension) {
      return litmus.succeed();
    }
    return litmus.fail("{} != {}", this, spec);
  }

  @Override public String toString() {
    return dimension == ANY_DIMENSION ? kind.sqlName() : kind.sqlName() + "(" + dimension + ")";
  }
}
