package org.quiver.grammar.ast;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.util.Litmus;
import org.quiver.grammar.type.SparsevecSqlType;

/**
 * The type {@code SPARSEVEC(dimension)} or {@code SPARSEVEC} as written; it derives Quiver's
 * {@link SparsevecSqlType}.
 */
public final class SqlSparsevecTypeNameSpec extends SqlTypeNameSpec {

  private final int dimension;

  /**
   * Creates the spec of {@code SPARSEVEC(dimension)}, or of {@code SPARSEVEC} with {@link
   * SparsevecSqlType#ANY_DIMENSION}; the SQL layer checks the dimension's bounds.
   */
  public SqlSparsevecTypeNameSpec(int dimension, SqlParserPos pos) {
    super(new SqlIdentifier(SparsevecSqlType.NAME, pos), pos);
    this.dimension = dimension;
  }

  /** Returns the dimension declared, as written, or {@link SparsevecSqlType#ANY_DIMENSION}. */
  public int dimension() {
    return dimension;
  }

  @Override public RelDataType deriveType(SqlValidator validator) {
    return SparsevecSqlType.of(validator.getTypeFactory(), dimension);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(SparsevecSqlType.NAME);
    if (dimension == SparsevecSqlType.ANY_DIMENSION) {
      return;
    }
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.FUN_CALL, "(", ")");
    writer.print(dimension);
    writer.endList(frame);
  }

  @Override public boolean equalsDeep(SqlTypeNameSpec spec, Litmus litmus) {
    if (spec instanceof SqlSparsevecTypeNameSpec that && that.dimension == dimension) {
      return litmus.succeed();
    }
    return litmus.fail("{} != {}", this, spec);
  }

  @Override public String toString() {
    return dimension == SparsevecSqlType.ANY_DIMENSION ? SparsevecSqlType.NAME
        : SparsevecSqlType.NAME + "(" + dimension + ")";
  }
}
