package org.quiver.sql.rel;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rex.RexNode;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.schema.FieldSchema;

/**
 * Runs a {@link QuiverTableScan} at execution time: one engine query with the pushed filter, by
 * primary key when the scan has keys.
 */
public final class ScanExecutor {
  private final QuiverTable table;
  private final Expr filter;
  private final List<RexNode> keys;
  /** The partitions read ({@code /*+ partitions(...) *}{@code /}), or null: all. */
  private final List<String> partitions;

  ScanExecutor(QuiverTable table, Expr filter, List<RexNode> keys, List<String> partitions) {
    this.table = table;
    this.filter = filter;
    this.keys = keys;
    this.partitions = partitions;
  }

  /**
   * The scan's rows: one engine query with the pushed filter at this call's read timestamp. A
   * scan by key is read at once; any other streams, in bounded memory, as the rows are taken (an
   * export of a whole table never holds it all). Enumerating the result a second time scans again.
   */
  public Enumerable<Object[]> execute(DataContext context) {
    List<FieldSchema> fields = table.info().schema().visibleFields();
    List<String> names = fields.stream().map(FieldSchema::name).toList();
    Expr bound = FilterTranslator.bind(filter, context);
    if (keys != null) {
      ResultRows result = table.session().engine().query(
          new QueryRequest(table.name(), bound, names, -1, KeyCondition.bind(table, keys, context),
              partitions),
          table.readOptions(context));
      List<Object[]> rows = new ArrayList<>(result.rowCount());
      for (int r = 0; r < result.rowCount(); r++) {
        rows.add(SqlTypes.toSql(fields, result, r, fields.size()));
      }
      return QueryGuard.guard(Linq4j.asEnumerable(rows), context, table.session());
    }
    QueryRequest request = new QueryRequest(table.name(), bound, names, -1, null, partitions);
    RowStream first = table.session().engine().scan(request, table.readOptions(context));
    Enumerable<Object[]> rows = new AbstractEnumerable<>() {
      private RowStream unread = first;

      @Override
      public Enumerator<Object[]> enumerator() {
        RowStream scan = unread != null ? unread
            : table.session().engine().scan(request, table.readOptions(context));
        unread = null;
        return new ScanEnumerator(scan, fields);
      }
    };
    return QueryGuard.guard(rows, context, table.session());
  }

  /**
   * The rows of one engine scan, taken a chunk of columns at a time and converted to their SQL
   * values one row at a time.
   */
  private static final class ScanEnumerator implements Enumerator<Object[]> {
    private final RowStream scan;
    private final List<FieldSchema> fields;
    private ResultRows chunk;
    private int row;
    private Object[] current;

    ScanEnumerator(RowStream scan, List<FieldSchema> fields) {
      this.scan = scan;
      this.fields = fields;
    }

    @Override
    public Object[] current() {
      return current;
    }

    @Override
    public boolean moveNext() {
      while (chunk == null || row == chunk.rowCount()) {
        if (!scan.hasNext()) {
          return false;
        }
        chunk = scan.next();
        row = 0;
      }
      current = SqlTypes.toSql(fields, chunk, row++, fields.size());
      return true;
    }

    @Override
    public void reset() {
      throw new UnsupportedOperationException("a scan is read once");
    }

    @Override
    public void close() {
      scan.close();
    }
  }
}
