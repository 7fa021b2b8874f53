package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.quiver.grammar.QuiverNames;

import java.util.List;

/**
 * {@code SHOW CHANNELS}, which is a query of every row of {@code sys.channels} ordered by table and
 * channel to the validator and planner, and unparses as {@code SHOW CHANNELS}; {@code SHOW
 * CHANNELS FROM t} is a {@link SqlShowTableObjects}.
 */
public final class SqlShowChannels extends SqlSelect {
  /** The columns shown, in order. */
  public static final List<String> COLUMNS = List.of(QuiverNames.TABLE_NAME, QuiverNames.CHANNEL,
      QuiverNames.MESSAGES, QuiverNames.RETAINED_BYTES, QuiverNames.DISK_BYTES,
      QuiverNames.OLDEST_ID, QuiverNames.LAST_ID, QuiverNames.TRIMMED_THROUGH);

  /** Creates the query. */
  public SqlShowChannels(SqlParserPos pos) {
    super(pos, null, identifiers(COLUMNS, pos),
        new SqlIdentifier(List.of(QuiverNames.SYSTEM_SCHEMA, QuiverNames.CHANNELS), pos),
        null, null, null, null, null,
        identifiers(List.of(QuiverNames.TABLE_NAME, QuiverNames.CHANNEL), pos),
        null, null, null);
  }

  private static SqlNodeList identifiers(List<String> names, SqlParserPos pos) {
    SqlNodeList list = new SqlNodeList(pos);
    for (String name : names) {
      list.add(new SqlIdentifier(name, pos));
    }
    return list;
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW CHANNELS");
  }
}
