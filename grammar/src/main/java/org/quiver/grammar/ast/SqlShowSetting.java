package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.grammar.QuiverNames;

import java.util.List;

/**
 * {@code SHOW name} and {@code SHOW ALL}: the query {@code SELECT setting AS name FROM sys.settings
 * WHERE name = 'name'} (one column named after the setting, as in PostgreSQL), or {@code SELECT
 * name, setting FROM sys.settings ORDER BY name}; unparses as written.
 */
public final class SqlShowSetting extends SqlSelect {

  private final @Nullable SqlIdentifier setting;

  /** Creates the query of one setting, or of all settings when {@code setting} is null. */
  public SqlShowSetting(SqlParserPos pos, @Nullable SqlIdentifier setting) {
    super(pos, null, selectList(setting, pos),
        new SqlIdentifier(List.of(QuiverNames.SYSTEM_SCHEMA, QuiverNames.SETTINGS), pos),
        setting == null ? null : SqlStdOperatorTable.EQUALS.createCall(pos,
            new SqlIdentifier(QuiverNames.NAME, pos),
            SqlLiteral.createCharString(settingName(setting), setting.getParserPosition())),
        null, null, null, null,
        SqlNodeList.of(new SqlIdentifier(QuiverNames.NAME, pos)),
        null, null, null);
    this.setting = setting;
  }

  private static SqlNodeList selectList(@Nullable SqlIdentifier setting, SqlParserPos pos) {
    if (setting == null) {
      return SqlNodeList.of(new SqlIdentifier(QuiverNames.NAME, pos),
          new SqlIdentifier(QuiverNames.SETTING, pos));
    }
    return SqlNodeList.of(SqlStdOperatorTable.AS.createCall(pos,
        new SqlIdentifier(QuiverNames.SETTING, pos),
        new SqlIdentifier(settingName(setting), setting.getParserPosition())));
  }

  /** Returns the name of a setting as one string; pgvector's names are dotted, {@code hnsw.ef_search}. */
  public static String settingName(SqlIdentifier setting) {
    return String.join(".", setting.names);
  }

  /** Returns the setting's name as written, or null for {@code SHOW ALL}. */
  public @Nullable SqlIdentifier setting() {
    return setting;
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW");
    if (setting == null) {
      writer.keyword("ALL");
    } else {
      setting.unparse(writer, 0, 0);
    }
  }
}
