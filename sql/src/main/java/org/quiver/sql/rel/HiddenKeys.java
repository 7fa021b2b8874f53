package org.quiver.sql.rel;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.FieldSchema;

/**
 * Finds the hidden row ids of the rows a DELETE selected from a table declared without a key.
 *
 * <p>SQL never sees the row id, so a DELETE hands over the rows' visible values; the ids are those
 * of the live rows with exactly those values. Rows equal in every visible column are matched by
 * the same WHERE clause, so deleting all of them is what the statement asked for.
 */
final class HiddenKeys {
  private HiddenKeys() {}

  static List<Object> of(QuiverTable table, CollectionSchema schema, List<Object[]> deleted) {
    List<FieldSchema> visible = schema.visibleFields();
    Set<List<Object>> wanted = new HashSet<>();
    for (Object[] row : deleted) {
      Object[] values = new Object[visible.size()];
      for (int c = 0; c < values.length; c++) {
        values[c] = SqlTypes.toEngine(visible.get(c), row[c], wanted.size() + 1);
      }
      wanted.add(comparable(values, values.length));
    }
    List<String> names = schema.fields().stream().map(FieldSchema::name).toList();
    ResultRows live = table.session().engine().query(
        new QueryRequest(table.name(), null, names, -1),
        new ReadOptions(ConsistencyLevel.STRONG, 0, 0, -1));
    int key = schema.primaryKeyIndex();
    List<Object> keys = new ArrayList<>();
    for (Object[] row : live.rows()) {
      if (wanted.contains(comparable(row, visible.size()))) {
        keys.add(row[key]);
      }
    }
    return keys;
  }

  /** The first {@code count} values, with vectors and bit strings compared by content. */
  private static List<Object> comparable(Object[] values, int count) {
    List<Object> list = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      list.add(values[c] instanceof float[] v ? FloatBuffer.wrap(v)
          : values[c] instanceof byte[] bits ? ByteBuffer.wrap(bits) : values[c]);
    }
    return list;
  }
}
