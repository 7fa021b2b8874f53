package org.quiver.grammar.ast;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.util.Litmus;
import org.quiver.grammar.type.VectorSqlType;

/** The type {@code VECTOR(dimension)} as written; it derives Quiver's {@link VectorSqlType}. */
public final class SqlVectorTypeNameSpec extends SqlTypeNameSpec {

  /** The type's name as written in SQL. */
  public static final String NAME = "VECTOR";

  /** The dimension of {@code VECTOR} written without one: the value's. */
  public static final int ANY_DIMENSION = -1;

  private final int dimension;

  /** Creates the spec; the dimension is not checked here, the SQL layer checks its bounds. */
  public SqlVectorTypeNameSpec(int dimension, SqlParserPos pos) {
    super(new SqlIdentifier(NAME, pos), pos);
    this.dimension = dimension;
  }

  /** Returns the number of elements declared, as written, or {@link #ANY_DIMENSION}. */
  public int dimension() {
    return dimension;
  }

  @Override public RelDataType deriveType(SqlValidator validator) {
    return VectorSqlType.of(validator.getTypeFactory(), dimension);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(NAME);
    if (dimension == ANY_DIMENSION) {
      return;
    }
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.FUN_CALL, "(", ")");
    writer.print(dimension);
    writer.endList(frame);
  }

  @Override public boolean equalsDeep(SqlTypeNameSpec spec, Litmus litmus) {
    if (spec instanceof SqlVectorTypeNameSpec that && that.dimension == dimension) {
      return litmus.succeed();
    }
    return litmus.fail("{} != {}", this, spec);
  }

  @Override public String toString() {
    return dimension == ANY_DIMENSION ? NAME : NAME + "(" + dimension + ")";
  }
}
