package org.quiver.sql.copy;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
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
  /**
   * Connection property that the servers set on the connections they open for clients: COPY
   * then reads and writes only under the directory of {@link #DIRECTORY_PROPERTY}, and not at
   * all without one, since the files are the server's and not the client's.
   */
  public static final String REMOTE_CLIENT = "quiver.remoteClient";
  /** System property ({@code quiver serve --copy-dir DIR}): where remote clients may COPY. */
  public static final String DIRECTORY_PROPERTY = "quiver.copy.dir";

  private static final Logger LOG = LoggerFactory.getLogger(CopyCommand.class);

  private CopyCommand() {}

  public static void execute(SqlCopy copy, Session session, CalcitePrepare.Context context) {
    Path file;
    try {
      file = Path.of(copy.path()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "COPY path '%s' is not a valid path: %s", copy.path(), e.getReason());
    }
    Object provider = context.getDataContext().getQueryProvider();
    if (provider instanceof CalciteConnection c
        && "true".equals(c.getProperties().getProperty(REMOTE_CLIENT))) {
      file = remoteFile(copy.path());
    }
    Map<String, String> options = options(copy.options());
    if (copy.isFrom()) {
      String table = tableName(copy.table());
      List<String> columns = copy.columns() == null ? null
          : copy.columns().stream().map(c -> ((SqlIdentifier) c).getSimple()).toList();
      CopyIn.Result result = CopyIn.load(session.engine(), table, columns, file, options, null);
      LOG.info("COPY {} FROM {}: {} rows, {} skipped{}", table, file, result.rows(),
          result.skipped(), result.skippedRows().isEmpty() ? "" : ": " + result.skippedRows());
      return;
    }
    String sql = copy.query() != null
        ? copy.query().toSqlString(CalciteSqlDialect.DEFAULT).getSql()
        : "SELECT * FROM " + copy.table().toSqlString(CalciteSqlDialect.DEFAULT).getSql();
    if (!(provider instanceof Connection connection)) {
      throw QuiverException.of(ErrorCode.INTERNAL_ERROR, "COPY TO has no connection to query");
    }
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      long rows = CopyOut.export(rs, file, options, session.engine());
      LOG.info("COPY TO {}: {} rows", file, rows);
    } catch (SQLException e) {
      throw new QuiverException(ErrorCode.DATA_EXCEPTION, e.getMessage(), e);
    }
  }

  /** A client's path, resolved under the COPY directory of the server; 42501 outside it. */
  private static Path remoteFile(String path) {
    String dir = System.getProperty(DIRECTORY_PROPERTY);
    if (dir == null || dir.isEmpty()) {
      throw QuiverException.of(ErrorCode.INSUFFICIENT_PRIVILEGE,
          "COPY over a remote connection is off: it reads and writes files of the server. "
              + "Start the server with --copy-dir DIR to allow it for files under DIR");
    }
    Path root = Path.of(dir).toAbsolutePath().normalize();
    Path file;
    try {
      file = root.resolve(path).normalize();
    } catch (InvalidPathException e) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "COPY path '%s' is not a valid path: %s", path, e.getReason());
    }
    if (!file.startsWith(root)) {
      throw QuiverException.of(ErrorCode.INSUFFICIENT_PRIVILEGE,
          "COPY over a remote connection may only use files under the server's COPY directory "
              + "%s, not %s", root, path);
    }
    try {
      // Symbolic links must not lead out of the directory either.
      Path parent = file.getParent().toRealPath();
      if (!parent.startsWith(root.toRealPath())) {
        throw QuiverException.of(ErrorCode.INSUFFICIENT_PRIVILEGE,
            "COPY path %s leads out of the server's COPY directory %s", path, root);
      }
      if (java.nio.file.Files.isSymbolicLink(file)
          && !file.toRealPath().startsWith(root.toRealPath())) {
        throw QuiverException.of(ErrorCode.INSUFFICIENT_PRIVILEGE,
            "COPY path %s leads out of the server's COPY directory %s", path, root);
      }
    } catch (java.io.IOException e) {
      throw QuiverException.ofFile("resolve COPY path %s", Path.of(path), e);
    }
    return file;
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
