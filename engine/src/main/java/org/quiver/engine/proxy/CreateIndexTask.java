package org.quiver.engine.proxy;

import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.CreateIndexRequest;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * CREATE INDEX: records the index, then queues its build for every sealed segment; it returns at
 * once, and SHOW INDEXES tells the progress. Searches use the index segment by segment as builds
 * complete.
 */
final class CreateIndexTask extends Task<Boolean> {
  private final Components c;
  private final CreateIndexRequest request;

  CreateIndexTask(Components c, CreateIndexRequest request) {
    this.c = c;
    this.request = request;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Boolean execute() {
    String table = request.table();
    String name = request.name();
    String field = request.field();
    IndexMethod method = request.method();
    IndexParams params = request.params();
    CollectionInfo info = c.collection(table);
    if (c.indexes.byName(name).isPresent()) {
      if (request.ifNotExists()) {
        return false;
      }
      throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT, "index \"%s\" already exists", name);
    }
    FieldSchema column = info.schema().field(field).orElseThrow(() -> QuiverException.of(
        ErrorCode.UNDEFINED_COLUMN, "column \"%s\" does not exist in table \"%s\"", field, table));
    boolean bits = column.type() == DataType.BINARY_VECTOR;
    boolean sparse = column.type() == DataType.SPARSE_FLOAT_VECTOR;
    if (!column.isVector() && !bits && !sparse) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "an index of method %s needs a VECTOR column; \"%s\" is not one", method, field);
    }
    boolean fits = bits ? params.metric().isBinary() : sparse ? params.metric().isSparse()
        : IndexMetric.FLOAT_METRICS.contains(params.metric());
    if (!fits) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "metric %s does not compare the values of column \"%s\" (%s)", params.metric(),
          field, bits ? "bit strings: hamming or jaccard"
              : sparse ? "sparse vectors: l2, ip, cosine or l1"
              : "float vectors: l2, ip, cosine or l1");
    }
    // L1 over float vectors is a graph scored by Quiver alone: no IVF lists (pgvector's IVFFlat
    // has no L1 class), no jvector codes.
    if (!bits && !sparse && !IndexMetric.CODED_METRICS.contains(params.metric())
        && (method != IndexMethod.HNSW || params.quantization() != Quantization.NONE)) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "metric %s over column \"%s\" takes an HNSW index without quantization, not %s%s",
          params.metric(), field, method, params.quantization() == Quantization.NONE ? ""
              : " with quantization " + params.quantization().sqlName());
    }
    // A bit-string or sparse column has the graph alone: no inverted lists, no codes of floats.
    if ((bits || sparse)
        && (method != IndexMethod.HNSW || params.quantization() != Quantization.NONE)) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "a %s column \"%s\" takes an HNSW index without quantization, not %s%s",
          bits ? "bit-string" : "sparse vector", field, method,
          params.quantization() == Quantization.NONE ? ""
              : " with quantization " + params.quantization().sqlName());
    }
    boolean quantized = params.quantization() != Quantization.NONE;
    boolean pqCodes = params.quantization() == Quantization.PQ;
    if (quantized && method != IndexMethod.HNSW) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "quantization is an option of HNSW indexes, not of %s", method);
    }
    if ((method == IndexMethod.IVF_PQ || pqCodes) && params.pqM() > column.dimension()) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "%s = %d sub-quantizers exceed the %d dimensions of column \"%s\"",
          pqCodes ? "pq_m" : "m", params.pqM(), column.dimension(), field);
    }
    int nlist = method == IndexMethod.IVF_FLAT || method == IndexMethod.IVF_PQ
        || method == IndexMethod.IVF_SQ8
        ? (params.nlist() == 0 ? IndexParams.DEFAULT_NLIST : params.nlist()) : 0;
    IndexInfo index = new IndexInfo(c.ids.next(), info.id(), name, field, method,
        params.metric(), params.m(), params.efConstruction(), nlist,
        method == IndexMethod.IVF_PQ || pqCodes ? params.subQuantizers(column.dimension()) : 0,
        request.efSearch(), request.nprobe(), params.quantization(), request.rerank());
    c.indexes.save(index);
    c.queryNode.indexCreated(index);
    c.indexNode.buildMissing(info, index);
    return true;
  }
}
