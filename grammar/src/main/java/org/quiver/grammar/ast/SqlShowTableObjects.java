package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.Util;
import org.quiver.grammar.QuiverNames;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code SHOW PARTITIONS | INDEXES | SEGMENTS | CHANNELS FROM name}, which is a query of the matching
 * {@code sys} table filtered on {@code table_name = 'name'} to the validator and planner, and
 * unparses as written.
 *
 * <p>As for DESCRIBE, the filter compares with the last component of the name, after the
 * parser's casing rules.
 */
public final class SqlShowTableObjects extends SqlSelect {

  /** What is listed, with the {@code sys} table and the columns shown. */
  public enum Subject {
    /** {@code SHOW PARTITIONS FROM t}. */
    PARTITIONS(QuiverNames.PARTITIONS, List.of(QuiverNames.PARTITION_NAME),
        QuiverNames.PARTITION_NAME),
    /** {@code SHOW INDEXES FROM t}. */
    INDEXES(QuiverNames.INDEXES, List.of(QuiverNames.INDEX_NAME, QuiverNames.COLUMN_NAME,
        QuiverNames.METHOD, QuiverNames.OPTIONS, QuiverNames.INDEXED_ROWS,
        QuiverNames.TOTAL_ROWS), QuiverNames.INDEX_NAME),
    /** {@code SHOW SEGMENTS FROM t}. */
    SEGMENTS(QuiverNames.SEGMENTS, List.of(QuiverNames.SEGMENT_ID, QuiverNames.PARTITION_NAME,
        QuiverNames.STATE, QuiverNames.ROW_COUNT, QuiverNames.DELETE_COUNT),
        QuiverNames.SEGMENT_ID),
    /** {@code SHOW CHANNELS FROM t}. */
    CHANNELS(QuiverNames.CHANNELS, List.of(QuiverNames.CHANNEL, QuiverNames.MESSAGES,
        QuiverNames.RETAINED_BYTES, QuiverNames.DISK_BYTES, QuiverNames.OLDEST_ID,
        QuiverNames.LAST_ID, QuiverNames.TRIMMED_THROUGH), QuiverNames.CHANNEL);

    private final String systemTable;
    private final List<String> columns;
    private final String orderBy;

    Subject(String systemTable, List<String> columns, String orderBy) {
      this.systemTable = systemTable;
      this.columns = columns;
      this.orderBy = orderBy;
    }

    /** Returns the {@code sys} table queried. */
    public String systemTable() {
      return systemTable;
    }

    /** Returns the columns shown, in order. */
    public List<String> columns() {
      return columns;
    }
  }

  private final Subject subject;
  private final SqlIdentifier name;

  /** Creates the query listing the {@code subject} of table {@code name}. */
  public SqlShowTableObjects(SqlParserPos pos, Subject subject, SqlIdentifier name) {
    super(pos, null, selectList(subject, pos),
        new SqlIdentifier(List.of(QuiverNames.SYSTEM_SCHEMA, subject.systemTable), pos),
        SqlStdOperatorTable.EQUALS.createCall(pos,
            new SqlIdentifier(QuiverNames.TABLE_NAME, pos),
            SqlLiteral.createCharString(Util.last(name.names), name.getParserPosition())),
        null, null, null, null,
        SqlNodeList.of(new SqlIdentifier(subject.orderBy, pos)),
        null, null, null);
    this.subject = requireNonNull(subject, "subject");
    this.name = name;
  }

  private static SqlNodeList selectList(Subject subject, SqlParserPos pos) {
    SqlNodeList list = new SqlNodeList(pos);
    for (String column : subject.columns) {
      list.add(new SqlIdentifier(column, pos));
    }
    return list;
  }

  /** Returns what is listed. */
  public Subject subject() {
    return subject;
  }

  /** Returns the name of the table, as written. */
  public SqlIdentifier name() {
    return name;
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW");
    writer.keyword(subject.name());
    writer.keyword("FROM");
    name.unparse(writer, 0, 0);
  }
}
