package org.quiver.sql.prepare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlHint;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlMerge;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.Util;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.QuiverNames;
import org.quiver.grammar.ast.SqlDescribeTable;
import org.quiver.grammar.ast.SqlShowSetting;
import org.quiver.grammar.ast.SqlShowTableObjects;
import org.quiver.sql.ddl.QuiverDdlExecutor;
import org.quiver.sql.rel.QuiverHints;
import org.quiver.sql.schema.QuiverSchema;
import org.quiver.sql.schema.Session;
import org.quiver.sql.schema.SessionSetting;

/**
 * Checks a statement right after it parses, before Calcite validates it: refuses what Calcite
 * would parse and then ignore or run as something else (UPSERT, unknown hints), validates hints
 * (and turns the values of {@code search} into their canonical text, which is what the planner's
 * hints carry), and makes SHOW and DESCRIBE of a missing table or setting
 * fail instead of answering with no rows.
 */
final class ParseTreeChecks extends SqlBasicVisitor<Void> {
  /** Keys of the {@code search} hint and the session settings they stand for. */
  private static final Map<String, SessionSetting> SEARCH_KEYS = Map.of(
      "ef", SessionSetting.EF_SEARCH,
      "ef_search", SessionSetting.EF_SEARCH,
      "nprobe", SessionSetting.NPROBE,
      "search_mode", SessionSetting.SEARCH_MODE);

  private final Session session;

  private ParseTreeChecks(Session session) {
    this.session = session;
  }

  /** Checks {@code node}, parsed on a connection whose root schema is {@code root}. */
  static void check(CalciteSchema root, SqlNode node) {
    CalciteSchema schema = root.getSubSchema(QuiverSchema.NAME, true);
    if (schema == null || !(schema.schema instanceof QuiverSchema quiver)) {
      return;
    }
    ParseTreeChecks checks = new ParseTreeChecks(quiver.session());
    SqlNode statement = node instanceof SqlExplain explain ? explain.getExplicandum() : node;
    checkNotSystemWrite(statement);
    checks.checkCatalogQuery(statement);
    statement.accept(checks);
    TimeTravelTables.resolve(quiver.session().engine(), statement);
  }

  /**
   * A LIMIT or OFFSET written as a number must be a whole one in INTEGER's range: Calcite would
   * cut {@code LIMIT 1.5} to 1 and fail deep in planning on {@code LIMIT 1e10} or beyond INTEGER.
   */
  private static void checkRowCount(SqlNode count, String clause) {
    if (!(count instanceof SqlNumericLiteral literal)) {
      return;
    }
    java.math.BigDecimal value = literal.bigDecimalValue();
    if (!literal.isExact() || value == null || value.stripTrailingZeros().scale() > 0) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "%s must be a whole number, got %s", clause, literal.toValue());
    }
    if (value.compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      // Calcite's row counts are ints; more rows than that cannot be asked for anyway.
      throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
          "%s %s is out of range: at most %d", clause, literal.toValue(), Integer.MAX_VALUE);
    }
  }

  /** Fails with 42501 for an INSERT, DELETE, UPDATE or MERGE into a table of {@code sys}. */
  private static void checkNotSystemWrite(SqlNode node) {
    SqlNode target = switch (node) {
      case SqlInsert insert -> insert.getTargetTable();
      case SqlDelete delete -> delete.getTargetTable();
      case SqlUpdate update -> update.getTargetTable();
      case SqlMerge merge -> merge.getTargetTable();
      default -> null;
    };
    if (target != null && target.getKind() == SqlKind.TABLE_REF) {
      target = ((SqlCall) target).operand(0);
    }
    if (target instanceof SqlIdentifier id && id.names.size() > 1
        && id.names.get(id.names.size() - 2).equals(QuiverNames.SYSTEM_SCHEMA)) {
      throw QuiverException.of(ErrorCode.INSUFFICIENT_PRIVILEGE,
          "%s is read-only: the sys schema shows the catalog, which DDL, SET and the user "
              + "statements change", id);
    }
  }

  private void checkCatalogQuery(SqlNode node) {
    if (node instanceof SqlDescribeTable describe) {
      pointAtTable(describe, describe.name());
    } else if (node instanceof SqlShowTableObjects show) {
      pointAtTable(show, show.name());
    } else if (node instanceof SqlShowSetting show && show.setting() != null) {
      String written = SqlShowSetting.settingName(show.setting());
      SessionSetting setting = SessionSetting.of(written);
      if (!setting.settingName().equals(written)) {
        // pgvector's name of a setting (hnsw.ef_search): read the row of Quiver's name.
        SqlParserPos pos = show.setting().getParserPosition();
        show.setWhere(SqlStdOperatorTable.EQUALS.createCall(pos,
            new SqlIdentifier(QuiverNames.NAME, pos),
            SqlLiteral.createCharString(setting.settingName(), pos)));
      }
    }
  }

  /**
   * Fails with 42P01 if the table named does not exist; if it is an alias, filters the query on
   * the table the alias stands for.
   */
  private void pointAtTable(SqlSelect query, SqlIdentifier name) {
    String written = Util.last(name.names);
    String table = session.resolveTable(written);
    if (session.engine().table(table).isEmpty()) {
      throw QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", written);
    }
    if (!table.equals(written)) {
      SqlParserPos pos = name.getParserPosition();
      query.setWhere(SqlStdOperatorTable.EQUALS.createCall(pos,
          new SqlIdentifier(QuiverNames.TABLE_NAME, pos), SqlLiteral.createCharString(table, pos)));
    }
  }

  @Override
  public Void visit(SqlCall call) {
    if (call instanceof SqlOrderBy orderBy) {
      checkRowCount(orderBy.fetch, "LIMIT");
      checkRowCount(orderBy.offset, "OFFSET");
    } else if (call instanceof SqlSelect select) {
      checkRowCount(select.getFetch(), "LIMIT");
      checkRowCount(select.getOffset(), "OFFSET");
    }
    if (call instanceof SqlInsert insert && insert.getTargetTable().getKind() == SqlKind.TABLE_REF) {
      // The hint on an INSERT's target names the partition written, not one read.
      SqlCall target = (SqlCall) insert.getTargetTable();
      SqlIdentifier table = (SqlIdentifier) target.operand(0);
      for (SqlNode hint : (SqlNodeList) target.operand(1)) {
        checkHint((SqlHint) hint, table, true);
      }
      insert.getSource().accept(this);
      return null;
    }
    if (call.getKind() == SqlKind.SNAPSHOT && call.operand(0) instanceof SqlSnapshot) {
      throw QuiverException.of(ErrorCode.SYNTAX_ERROR,
          "FOR SYSTEM_TIME AS OF is given twice for one table");
    }
    if (call.getKind() == SqlKind.TABLE_REF) {
      SqlIdentifier table = (SqlIdentifier) call.operand(0);
      for (SqlNode hint : (SqlNodeList) call.operand(1)) {
        checkHint((SqlHint) hint, table, false);
      }
      return null;
    }
    if (call instanceof SqlHint hint) {
      checkHint(hint, null, false);
      return null;
    }
    return super.visit(call);
  }

  /** Checks a hint; {@code table} is the table it follows, or null for a hint after SELECT. */
  private void checkHint(SqlHint hint, SqlIdentifier table, boolean target) {
    String name = hint.getName().toLowerCase(Locale.ROOT);
    SqlNodeList options = (SqlNodeList) hint.getOperandList().get(1);
    switch (name) {
      case QuiverHints.SEARCH -> {
        if (hint.getOptionFormat() != SqlHint.HintOptionFormat.KV_LIST) {
          throw QuiverException.of(ErrorCode.SYNTAX_ERROR,
              "the search hint takes key = value options, as in /*+ search(ef = 64) */");
        }
        for (int i = 0; i + 1 < options.size(); i += 2) {
          String key = optionText(options.get(i)).toLowerCase(Locale.ROOT);
          SessionSetting setting = SEARCH_KEYS.get(key);
          if (setting == null) {
            throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
                "unknown search hint option \"%s\"; options are ef, nprobe, search_mode", key);
          }
          SqlNode value = options.get(i + 1);
          // Calcite's hint conversion reads every value as a string (numbers are Quiver's addition).
          options.set(i + 1, SqlLiteral.createCharString(
              setting.validate(optionText(value)), value.getParserPosition()));
        }
      }
      case QuiverHints.PARTITIONS -> {
        if (table == null) {
          throw QuiverException.of(ErrorCode.SYNTAX_ERROR,
              "the partitions hint follows a table name, as in FROM t /*+ partitions(p1) */");
        }
        if (options.isEmpty()) {
          throw QuiverException.of(ErrorCode.SYNTAX_ERROR,
              "the partitions hint names at least one partition, as in /*+ partitions(p1) */");
        }
        String tableName = session.resolveTable(Util.last(table.names));
        List<String> partitions = new ArrayList<>();
        for (SqlNode partition : options) {
          QuiverDdlExecutor.checkPartition(session, tableName, optionText(partition));
          partitions.add(optionText(partition));
        }
        if (target && partitions.size() != 1) {
          throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
              "an INSERT or UPSERT writes into one partition; the hint names %d: %s",
              partitions.size(), String.join(", ", partitions));
        }
      }
      default -> throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "hint \"%s\" is not supported; hints are search and partitions", name);
    }
  }

  private static String optionText(SqlNode node) {
    if (node instanceof SqlIdentifier id) {
      return id.getSimple();
    }
    if (node instanceof SqlLiteral literal) {
      return String.valueOf(literal.toValue());
    }
    return node.toString();
  }
}
