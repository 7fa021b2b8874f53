package org.quiver.sql.rel;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.core.TableModify;
import org.quiver.sql.schema.ClientRows;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.schema.CollectionSchema;

/**
 * Runs a {@link QuiverTableModify} at execution time: all rows of an INSERT (UPSERT) become one
 * insert (upsert) task; the rows a DELETE selects become one delete task by primary key.
 */
public final class ModifyExecutor {
  private final QuiverTable table;
  private final TableModify.Operation operation;

  private final boolean upsert;
  /** The partition an INSERT or UPSERT writes into ({@code /*+ partitions(p) *}{@code /}), or null. */
  private final String partition;

  ModifyExecutor(QuiverTable table, TableModify.Operation operation, boolean upsert,
      String partition) {
    if (operation != TableModify.Operation.INSERT && operation != TableModify.Operation.DELETE) {
      throw new IllegalArgumentException("not an INSERT or DELETE: " + operation);
    }
    this.table = table;
    this.operation = operation;
    this.upsert = upsert;
    this.partition = partition;
  }

  public Enumerable<Long> execute(Enumerable<?> input) {
    CollectionSchema schema = table.info().schema();
    List<Object[]> rows = new ArrayList<>();
    for (Object row : input) {
      rows.add(row instanceof Object[] values ? values : new Object[] {row});
    }
    long count;
    if (operation == TableModify.Operation.DELETE && schema.hasHiddenKey()) {
      count = table.session().delete(table.name(), HiddenKeys.of(table, schema, rows));
    } else if (operation == TableModify.Operation.DELETE) {
      int pk = schema.primaryKeyIndex();
      List<Object> keys = new ArrayList<>(rows.size());
      for (Object[] row : rows) {
        keys.add(SqlTypes.toEngine(schema.primaryKey(), row[pk], keys.size() + 1));
      }
      count = table.session().delete(table.name(), keys);
    } else if (upsert) {
      count = table.session().upsert(table.name(),
          ClientRows.batchInTableOrder(schema, rows), partition);
    } else {
      count = table.session().insert(table.name(),
          ClientRows.batchInTableOrder(schema, rows), partition);
    }
    return Linq4j.singletonEnumerable(count);
  }
}
