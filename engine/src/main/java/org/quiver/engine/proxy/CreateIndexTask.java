package org.quiver.engine.proxy;

import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexParams;
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
  private final IndexParams params;
  private final int efSearch;
  private final int nprobe;
  private final boolean ifNotExists;

  CreateIndexTask(Components c, String table, String name, String field, IndexMethod method,
      IndexParams params, int efSearch, int nprobe, boolean ifNotExists) {
    this.c = c;
    this.table = table;
    this.name = name;
    this.field = field;
    this.method = method;
    this.params = params;
    this.efSearch = efSearch;
    this.nprobe = nprobe;
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
    if (method == IndexMethod.IVF_PQ && params.pqM() > column.dimension()) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "m = %d sub-quantizers exceed the %d dimensions of column \"%s\"", params.pqM(),
          column.dimension(), field);
    }
    int nlist = method == IndexMethod.IVF_FLAT || method == IndexMethod.IVF_PQ
        ? (params.nlist() == 0 ? IndexParams.DEFAULT_NLIST : params.nlist()) : 0;
    IndexInfo index = new IndexInfo(c.ids.next(), info.id(), name, field, method,
        params.metric(), params.m(), params.efConstruction(), nlist,
        method == IndexMethod.IVF_PQ ? params.subQuantizers(column.dimension()) : 0, efSearch,
        nprobe);
    c.indexes.save(index);
    c.indexNode.buildMissing(info, index);
    return true;
  }
}
