package org.quiver.sql.rel;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rex.RexNode;
import org.quiver.engine.expr.Expr;
import org.quiver.engine.querynode.QueryRequest;
import org.quiver.engine.querynode.ResultRows;
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

  public Enumerable<Object[]> execute(DataContext context) {
    List<FieldSchema> fields = table.info().schema().visibleFields();
    List<String> names = fields.stream().map(FieldSchema::name).toList();
    ResultRows result = table.session().proxy().query(
        new QueryRequest(table.name(), FilterTranslator.bind(filter, context), names, -1,
            keys == null ? null : KeyCondition.bind(table, keys, context), partitions),
        table.readOptions(context));
    List<Object[]> rows = new ArrayList<>(result.rows().size());
    for (Object[] row : result.rows()) {
      for (int i = 0; i < row.length; i++) {
        row[i] = SqlTypes.toSql(fields.get(i), row[i]);
      }
      rows.add(row);
    }
    return QueryGuard.guard(Linq4j.asEnumerable(rows), context, table.session());
  }
}
