package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code ALTER TABLE table ADD PARTITION partition} and {@code ALTER TABLE table DROP PARTITION partition}. */
public final class SqlAlterTablePartition extends SqlDdl {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER TABLE", SqlKind.ALTER_TABLE);

  private final SqlIdentifier table;
  private final boolean add;
  private final SqlIdentifier partition;

  /** Creates the statement; {@code add} is true for ADD PARTITION, false for DROP PARTITION. */
  public SqlAlterTablePartition(SqlParserPos pos, SqlIdentifier table, boolean add,
      SqlIdentifier partition) {
    super(OPERATOR, pos);
    this.table = requireNonNull(table, "table");
    this.add = add;
    this.partition = requireNonNull(partition, "partition");
  }

  /** Returns the table's name. */
  public SqlIdentifier table() {
    return table;
  }

  /** Returns true for ADD PARTITION, false for DROP PARTITION. */
  public boolean add() {
    return add;
  }

  /** Returns the partition's name. */
  public SqlIdentifier partition() {
    return partition;
  }

  /** Returns the statement's words as a user reads them, {@code ALTER TABLE ... ADD PARTITION}. */
  public String statementName() {
    return "ALTER TABLE ... " + (add ? "ADD" : "DROP") + " PARTITION";
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(table, partition);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER TABLE");
    table.unparse(writer, 0, 0);
    writer.keyword(add ? "ADD PARTITION" : "DROP PARTITION");
    partition.unparse(writer, 0, 0);
  }
}
