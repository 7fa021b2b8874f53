package org.quiver.engine.proxy;

import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.rootcoord.IndexInfo;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.FieldSchema;

/**
 * CREATE INDEX: records the index, then queues its build for every sealed segment; it returns at
 * once, and SHOW INDEXES tells the progress. Searches use the index segment by segment as builds
 * complete.
 */
final class CreateIndexTask extends Task<Boolean> {
  private final Components c;
  private final String table;
  private final String name;
  private final String field;
  private final IndexMethod method;
  private final IndexMetric metric;
  private final int m;
  private final int efConstruction;
  private final boolean ifNotExists;

  CreateIndexTask(Components c, String table, String name, String field, IndexMethod method,
      IndexMetric metric, int m, int efConstruction, boolean ifNotExists) {
    this.c = c;
    this.table = table;
    this.name = name;
    this.field = field;
    this.method = method;
    this.metric = metric;
    this.m = m;
    this.efConstruction = efConstruction;
    this.ifNotExists = ifNotExists;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Boolean execute() {
    CollectionInfo info = c.collection(table);
    if (c.indexes.byName(name).isPresent()) {
      if (ifNotExists) {
        return false;
      }
      throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT, "index \"%s\" already exists", name);
    }
    FieldSchema column = info.schema().field(field).orElseThrow(() -> QuiverException.of(
        ErrorCode.UNDEFINED_COLUMN, "column \"%s\" does not exist in table \"%s\"", field, table));
    if (!column.isVector()) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "an index of method %s needs a VECTOR column; \"%s\" is not one", method, field);
    }
    IndexInfo index = new IndexInfo(c.ids.next(), info.id(), name, field, method, metric, m,
        efConstruction);
    c.indexes.save(index);
    c.indexNode.buildMissing(info, index);
    return true;
  }
}
