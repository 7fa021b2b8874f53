package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

/**
 * {@code RELEASE TABLE name [PARTITION (partition, ...)]}: drops the table's data (or that of the
 * partitions named) from the query nodes' memory.
 */
public final class SqlReleaseTable extends SqlTableCommand {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("RELEASE TABLE", SqlKind.OTHER_DDL);

  private final List<SqlIdentifier> partitions;

  /** Creates a RELEASE TABLE statement of the whole table. */
  public SqlReleaseTable(SqlParserPos pos, SqlIdentifier name) {
    this(pos, name, List.of());
  }

  /** Creates a RELEASE TABLE statement; an empty {@code partitions} means the whole table. */
  public SqlReleaseTable(SqlParserPos pos, SqlIdentifier name, List<SqlIdentifier> partitions) {
    super(OPERATOR, pos, name);
    this.partitions = List.copyOf(partitions);
  }

  /** Returns the partitions named in the PARTITION clause; empty without one. */
  public List<SqlIdentifier> partitions() {
    return partitions;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(name(), new SqlNodeList(partitions, getParserPosition()));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    super.unparse(writer, leftPrec, rightPrec);
    if (!partitions.isEmpty()) {
      writer.keyword("PARTITION");
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlIdentifier partition : partitions) {
        writer.sep(",");
        partition.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
  }
}
