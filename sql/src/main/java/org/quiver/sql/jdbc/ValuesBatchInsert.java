package org.quiver.sql.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.ParserSettings;
import org.quiver.jdbc.spi.EmbeddedConnector;
import org.quiver.sql.error.SqlErrors;
import org.quiver.sql.schema.ClientRows;
import org.quiver.sql.schema.QuiverSchema;
import org.quiver.sql.schema.Session;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;

/**
 * The batch path of {@code INSERT | UPSERT INTO t [(columns)] VALUES (?, ...)}: the parameter rows of
 * a JDBC batch become one column batch and one insert (upsert) task, without running the SQL once per row. The
 * values are checked as the SQL path checks them (types, NOT NULL, dimensions, lengths, keys).
 */
final class ValuesBatchInsert implements EmbeddedConnector.BatchInsert {
  private final Session session;
  private final String table;
  /** The target column of each parameter; null: all columns in order. */
  private final List<String> columns;
  private final int parameterCount;
  /** {@code UPSERT INTO}: the rows replace the live rows of their keys. */
  private final boolean upsert;

  private ValuesBatchInsert(Session session, String table, List<String> columns, int parameterCount,
      boolean upsert) {
    this.session = session;
    this.upsert = upsert;
    this.table = table;
    this.columns = columns;
    this.parameterCount = parameterCount;
  }

  /** The batch path for {@code sql}, or null when it is not a single-row VALUES of parameters. */
  static ValuesBatchInsert of(Session session, String sql) {
    SqlNode node;
    try {
      node = SqlParser.create(sql, ParserSettings.CONFIG).parseStmt();
    } catch (SqlParseException e) {
      return null;
    }
    if (!(node instanceof SqlInsert insert) || !(insert.getTargetTable() instanceof SqlIdentifier id)
        || insert.getSource().getKind() != SqlKind.VALUES) {
      return null;
    }
    List<SqlNode> rows = ((SqlBasicCall) insert.getSource()).getOperandList();
    if (rows.size() != 1 || !(rows.get(0) instanceof SqlBasicCall row)) {
      return null;
    }
    List<SqlNode> values = row.getOperandList();
    for (int i = 0; i < values.size(); i++) {
      if (!(values.get(i) instanceof SqlDynamicParam p) || p.getIndex() != i) {
        return null;
      }
    }
    String table = id.names.size() == 2 && id.names.get(0).equals(QuiverSchema.NAME)
        ? id.names.get(1) : id.names.size() == 1 ? id.names.get(0) : null;
    if (table == null) {
      return null;
    }
    List<String> columns = null;
    if (insert.getTargetColumnList() != null) {
      columns = new ArrayList<>();
      for (SqlNode c : insert.getTargetColumnList()) {
        columns.add(((SqlIdentifier) c).getSimple());
      }
    }
    ValuesBatchInsert batch = new ValuesBatchInsert(session, table, columns, values.size(),
        insert.isUpsert());
    // Only a statement that matches the table now takes this path; anything else gets the
    // SQL path's own error message.
    return session.engine().table(table).map(batch::matches).orElse(false) ? batch : null;
  }

  private boolean matches(CollectionInfo info) {
    CollectionSchema schema = info.schema();
    if (columns == null) {
      return parameterCount == schema.size();
    }
    return columns.size() == parameterCount && columns.stream().distinct().count() == parameterCount
        && columns.stream().allMatch(c -> schema.indexOf(c) >= 0);
  }

  @Override
  public int parameterCount() {
    return parameterCount;
  }

  @Override
  public int[] insert(List<Object[]> rows) throws SQLException {
    try {
      CollectionInfo info = session.engine().table(table).orElseThrow(() ->
          QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", table));
      if (!matches(info)) {
        throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
            "the columns of table \"%s\" changed since the statement was prepared", table);
      }
      ClientRows converted = columns == null
          ? ClientRows.inTableOrder(info.schema(), rows.size())
          : ClientRows.named(info.schema(), columns, rows.size());
      rows.forEach(converted::add);
      ColumnBatch batch = converted.drain();
      if (upsert) {
        session.upsert(table, batch);
      } else {
        session.insert(table, batch);
      }
      int[] counts = new int[rows.size()];
      Arrays.fill(counts, 1);
      return counts;
    } catch (RuntimeException e) {
      throw SqlErrors.translate(new SQLException(e.getMessage(), null, e));
    }
  }
}
