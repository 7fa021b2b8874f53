package org.quiver.sql.copy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.grammar.ast.SqlCopy;
import org.quiver.grammar.ast.SqlTableOption;
import org.quiver.sql.schema.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs COPY for the DDL executor. Paths are files of the machine and process that runs the
 * engine (the server for remote connections); relative paths are resolved against its working
 * directory.
 */
public final class CopyCommand {
  private static final Logger LOG = LoggerFactory.getLogger(CopyCommand.class);

  private CopyCommand() {}

  public static void execute(SqlCopy copy, Session session, CalcitePrepare.Context context) {
    Path file = Path.of(copy.path()).toAbsolutePath().normalize();
    Map<String, String> options = options(copy.options());
    if (copy.isFrom()) {
      String table = tableName(copy.table());
      List<String> columns = copy.columns() == null ? null
          : copy.columns().stream().map(c -> ((SqlIdentifier) c).getSimple()).toList();
      CopyIn.Result result = CopyIn.load(session.proxy(), table, columns, file, options, null);
      LOG.info("COPY {} FROM {}: {} rows, {} skipped{}", table, file, result.rows(),
          result.skipped(), result.skippedRows().isEmpty() ? "" : ": " + result.skippedRows());
      return;
    }
    String sql = copy.query() != null
        ? copy.query().toSqlString(CalciteSqlDialect.DEFAULT).getSql()
        : "SELECT * FROM " + copy.table().toSqlString(CalciteSqlDialect.DEFAULT).getSql();
    Object provider = context.getDataContext().getQueryProvider();
    if (!(provider instanceof Connection connection)) {
      throw QuiverException.of(ErrorCode.INTERNAL_ERROR, "COPY TO has no connection to query");
    }
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      long rows = CopyOut.export(rs, file, options);
      LOG.info("COPY TO {}: {} rows", file, rows);
    } catch (SQLException e) {
      throw new QuiverException(ErrorCode.DATA_EXCEPTION, e.getMessage(), e);
    }
  }

  private static String tableName(SqlIdentifier id) {
    return id.names.get(id.names.size() - 1);
  }

  private static Map<String, String> options(List<SqlTableOption> list) {
    Map<String, String> options = new LinkedHashMap<>();
    for (SqlTableOption o : list) {
      SqlNode v = o.value();
      String text = v instanceof SqlLiteral literal ? literal.toValue()
          : ((SqlIdentifier) v).getSimple();
      String key = o.key().getSimple().toLowerCase(Locale.ROOT);
      if (options.put(key, text) != null) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "COPY option \"%s\" is given twice", key);
      }
    }
    return options;
  }
}
