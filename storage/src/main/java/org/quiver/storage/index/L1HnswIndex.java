package org.quiver.storage.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.quiver.storage.segment.SegmentManifest;
import org.quiver.storage.vector.VectorKernels;

/**
 * An HNSW graph over the float vectors of one sealed segment (a VECTOR or HALFVEC column) by L1
 * distance, as pgvector's {@code vector_l1_ops} and {@code halfvec_l1_ops}: jvector has no L1
 * function, so this is a {@link RowGraph} whose rows are scored in float32 by Quiver's L1 kernel
 * against the segment's own vectors, where they lie (a mapped float32 column read in place, a
 * float16 column decoded row by row into a scratch array): the index keeps no copy of them.
 *
 * <p>jvector scores with positive similarities (larger is nearer); an L1 distance d maps to
 * {@link IndexMetric#similarity(float)}, {@code 1 / (1 + d)}, in (0, 1] and decreasing as d grows.
 * There is no quantization: jvector's codes score by its own functions, none of which is L1, so
 * {@link #build} refuses one.
 *
 * <p>Files: {@value #GRAPH_FILE} and a {@link SegmentManifest} listing it with its size and
 * CRC32C (see {@link RowGraph}). Node {@code i} is row {@code i}; a NULL row has no node. Searches
 * are thread-safe (each makes its own scorer); {@link #close} must not run concurrently with a
 * search.
 */
public final class L1HnswIndex implements VectorIndex {
  public static final String GRAPH_FILE = RowGraph.GRAPH_FILE;

  private final RowGraph graph;
  private final SegmentVectors rows;

  private L1HnswIndex(RowGraph graph, SegmentVectors rows) {
    this.graph = graph;
    this.rows = rows;
  }

  /**
   * The similarity jvector ranks by for an L1 distance {@code d}; kept above zero, as jvector's
   * thresholds assume, when d is so large (or, from infinite elements, NaN) that it would vanish.
   */
  private static float similarity(float d) {
    float s = IndexMetric.L1.similarity(d);
    return Float.isNaN(s) ? Float.MIN_NORMAL : Math.max(s, Float.MIN_NORMAL);
  }

  /**
   * Builds the graph of the non-NULL rows among the {@code count} vectors of {@code dim} floats
   * stored row after row in {@code vectors}, by {@code params}' m and ef_construction, and writes
   * it into {@code dir} (created if absent). {@code params}' metric must be L1, without
   * quantization.
   */
  public static void build(Path dir, long segmentId, float[] vectors, int dim, int count,
      IndexParams params) throws IOException {
    if (params.metric() != IndexMetric.L1) {
      throw new IllegalArgumentException("an L1 graph is built for l1, not " + params.metric());
    }
    if (params.quantization() != Quantization.NONE) {
      throw new IllegalArgumentException("an L1 graph has no quantization, not "
          + params.quantization().sqlName() + ": jvector's codes score by no L1 function");
    }
    int[] present = IndexMetric.L1.indexedRows(vectors, dim, count);
    RowGraph.build(dir, segmentId, count, present, dim, (RowGraph.RowScores) row -> {
      // The row's own vector copied once, for the many rows its insertion scores it against.
      float[] from = Arrays.copyOfRange(vectors, row * dim, (row + 1) * dim);
      return other -> similarity(VectorKernels.l1(from, vectors, other * dim, dim));
    }, params.m(), params.efConstruction());
  }

  /**
   * Opens the index in {@code dir} after verifying its files against the manifest; candidates are
   * scored against {@code rows}, the segment's vectors.
   */
  public static L1HnswIndex load(Path dir, SegmentVectors rows) throws IOException {
    return new L1HnswIndex(RowGraph.load(dir, rows.rowCount()), rows);
  }

  @Override
  public IndexMethod method() {
    return IndexMethod.HNSW;
  }

  @Override
  public IndexMetric metric() {
    return IndexMetric.L1;
  }

  @Override
  public int size() {
    return graph.size();
  }

  /** The graph is mapped and the vectors are the segment's: nothing on the heap per row. */
  @Override
  public long heapBytes() {
    return 0;
  }

  @Override
  public int[] search(float[] query, int topK, SearchParams params, IntPredicate accept) {
    if (query.length != rows.dimension()) {
      throw new IllegalArgumentException("a query of " + query.length
          + " dimensions against vectors of " + rows.dimension());
    }
    // One scorer per search: a float16 segment's decodes candidates into an array of its own.
    SegmentVectors.Scorer scorer = rows.scorer(IndexMetric.L1, query);
    return graph.search(row -> similarity(scorer.distance(row)), topK, params.ef(), accept);
  }

  @Override
  public void close() throws IOException {
    graph.close();
  }
}
