package org.quiver.sql.flight;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.engine.api.Engine;
import org.quiver.grammar.StatementKind;
import org.quiver.sql.arrow.ArrowTypes;

/**
 * The Arrow schema of a statement's result as Flight SQL reports it: no columns for a statement
 * that returns an update count, Quiver's column types otherwise ({@link ArrowTypes}).
 */
final class ResultSchemas {
  private static final Schema NO_COLUMNS = new Schema(List.of());

  private final Engine engine;

  ResultSchemas(Engine engine) {
    this.engine = engine;
  }

  /** The columns of an executed statement's {@code rows}, none when it returned no rows (null). */
  Schema of(ResultSet rows) throws SQLException {
    return rows == null ? NO_COLUMNS : ArrowTypes.schema(rows.getMetaData(), engine);
  }

  /** The columns {@code sql}, prepared as {@code ps}, will return. */
  Schema of(PreparedStatement ps, String sql) throws SQLException {
    if (!StatementKind.of(sql).returnsRows()) {
      return NO_COLUMNS;
    }
    ResultSetMetaData md = ps.getMetaData();
    return md == null ? NO_COLUMNS : ArrowTypes.schema(md, engine);
  }
}
