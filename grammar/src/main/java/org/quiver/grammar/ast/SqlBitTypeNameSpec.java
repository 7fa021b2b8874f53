package org.quiver.grammar.ast;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.util.Litmus;
import org.quiver.grammar.type.BitSqlType;

/**
 * The type {@code BIT(length)} or {@code BIT} as written; it derives Quiver's {@link BitSqlType}.
 */
public final class SqlBitTypeNameSpec extends SqlTypeNameSpec {

  private final int length;

  /**
   * Creates the spec of {@code BIT(length)}, or of {@code BIT} with {@link BitSqlType#ANY_LENGTH};
   * the length is not checked here, the SQL layer checks its bounds.
   */
  public SqlBitTypeNameSpec(int length, SqlParserPos pos) {
    super(new SqlIdentifier(BitSqlType.NAME, pos), pos);
    this.length = length;
  }

  /** Returns the number of bits declared, as written, or {@link BitSqlType#ANY_LENGTH}. */
  public int length() {
    return length;
  }

  @Override public RelDataType deriveType(SqlValidator validator) {
    return BitSqlType.of(validator.getTypeFactory(), length);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(BitSqlType.NAME);
    if (length == BitSqlType.ANY_LENGTH) {
      return;
    }
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.FUN_CALL, "(", ")");
    writer.print(length);
    writer.endList(frame);
  }

  @Override public boolean equalsDeep(SqlTypeNameSpec spec, Litmus litmus) {
    if (spec instanceof SqlBitTypeNameSpec that && that.length == length) {
      return litmus.succeed();
    }
    return litmus.fail("{} != {}", this, spec);
  }

  @Override public String toString() {
    return length == BitSqlType.ANY_LENGTH ? BitSqlType.NAME
        : BitSqlType.NAME + "(" + length + ")";
  }
}
