package org.quiver.engine.api.catalog;

import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;

/**
 * A vector index declared on a collection's vector column, as the catalog records it.
 *
 * @param id index id, never reused
 * @param collectionId the indexed collection
 * @param name index name, unique in the database
 * @param field the vector column
 * @param method how the index is built
 * @param metric the distance it is built for
 * @param m HNSW: maximum neighbours per node
 * @param efConstruction HNSW: candidate list size while building
 * @param nlist IVF: number of inverted lists (0 in records written before IVF existed)
 * @param pqM IVF_PQ: sub-quantizers, bytes per code (0: dimension / 4)
 * @param efSearch HNSW: this index's default search width, 0 for the engine's
 * @param nprobe IVF: this index's default number of lists probed, 0 for the engine's
 * @param quantization HNSW: the codes its search steers by ({@link Quantization#NONE} in records
 *     written before quantization existed)
 * @param rerank HNSW with quantization: how many candidates, best by their codes, are re-ranked
 *     against the full vectors, also a floor on the search width; 0: every one of the ef
 */
public record IndexInfo(
    long id,
    long collectionId,
    String name,
    String field,
    IndexMethod method,
    IndexMetric metric,
    int m,
    int efConstruction,
    int nlist,
    int pqM,
    int efSearch,
    int nprobe,
    Quantization quantization,
    int rerank) {

  public IndexInfo {
    quantization = quantization == null ? Quantization.NONE : quantization;
  }

  /** The build parameters, seeded by the segment so that a rebuild gives the same index. */
  public IndexParams params(long segmentId) {
    return new IndexParams(metric, m, efConstruction, nlist, pqM, segmentId, quantization);
  }

  /** The options as SHOW INDEXES lists them, e.g. {@code metric=l2, nlist=64, nprobe=8}. */
  public String optionsText() {
    StringBuilder b = new StringBuilder("metric=")
        .append(metric.name().toLowerCase(java.util.Locale.ROOT));
    switch (method) {
      case HNSW -> {
        b.append(", m=").append(m).append(", ef_construction=").append(efConstruction);
        if (quantization != Quantization.NONE) {
          b.append(", quantization=").append(quantization.sqlName());
          if (quantization == Quantization.PQ) {
            b.append(", pq_m=").append(pqM);
          }
        }
        if (rerank > 0) {
          b.append(", rerank=").append(rerank);
        }
      }
      case IVF_FLAT, IVF_SQ8 -> b.append(", nlist=").append(nlist);
      case IVF_PQ -> b.append(", nlist=").append(nlist).append(", m=").append(pqM)
          .append(", nbits=8");
      case FLAT -> { }
    }
    if (efSearch > 0) {
      b.append(", ef_search=").append(efSearch);
    }
    if (nprobe > 0) {
      b.append(", nprobe=").append(nprobe);
    }
    return b.toString();
  }

  /** The folder of this index inside a segment's folder. */
  public String directoryIn(String segmentDirectory) {
    return segmentDirectory + "/index-" + id;
  }
}
