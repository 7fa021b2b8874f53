package org.quiver.storage.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.segment.SegmentManifest;

/**
 * An HNSW graph over the bit strings of one sealed segment (a BINARY_VECTOR column), by Hamming or
 * Jaccard distance: a {@link RowGraph} whose rows are scored by a Quiver kernel that counts bits
 * 64 at a time, against the segment's own column, where its bytes lie.
 *
 * <p>jvector scores with similarities (larger is nearer); a distance d maps to
 * {@link IndexMetric#similarity(float)}: {@code 1 / (1 + d)} for Hamming, {@code 1 - d / 2} for
 * Jaccard.
 *
 * <p>Files: {@value #GRAPH_FILE} and a {@link SegmentManifest} listing it with its size and
 * CRC32C (see {@link RowGraph}). Node {@code i} is row {@code i}; a NULL row has no node.
 * Searches are thread-safe; {@link #close} must not run concurrently with a search.
 */
public final class BitHnswIndex implements SegmentIndex {
  public static final String GRAPH_FILE = RowGraph.GRAPH_FILE;

  private final RowGraph graph;
  private final IndexMetric metric;
  private final BinaryVectorColumn rows;

  private BitHnswIndex(RowGraph graph, IndexMetric metric, BinaryVectorColumn rows) {
    this.graph = graph;
    this.metric = metric;
    this.rows = rows;
  }

  /** The similarity of two rows by {@code metric}, on jvector's larger-is-nearer scale. */
  private static float similarity(IndexMetric metric, BinaryVectorColumn rows, int a, int b) {
    return metric.similarity(metric == IndexMetric.HAMMING ? rows.hamming(a, b)
        : (float) rows.jaccard(a, b));
  }

  /** The similarity of a row to the query {@code q}, on the same scale. */
  private static float similarity(IndexMetric metric, BinaryVectorColumn rows, int row,
      byte[] q) {
    return metric.similarity(metric == IndexMetric.HAMMING ? rows.hamming(row, q)
        : (float) rows.jaccard(row, q));
  }

  /**
   * Builds the graph of the non-NULL rows of {@code column} by {@code params}' metric (HAMMING or
   * JACCARD), m and ef_construction, and writes it into {@code dir} (created if absent).
   */
  public static void build(Path dir, long segmentId, BinaryVectorColumn column, IndexParams params)
      throws IOException {
    IndexMetric metric = params.metric();
    if (!metric.isBinary()) {
      throw new IllegalArgumentException("a bit-string index takes hamming or jaccard, not "
          + metric);
    }
    if (params.quantization() != Quantization.NONE) {
      throw new IllegalArgumentException("a bit-string index has no quantization");
    }
    int[] present = IntStream.range(0, column.size()).filter(r -> !column.isNull(r)).toArray();
    RowGraph.build(dir, segmentId, column.size(), present, column.bits(),
        (a, b) -> similarity(metric, column, a, b), params.m(), params.efConstruction());
  }

  /**
   * Opens the index in {@code dir} after verifying its files against the manifest; candidates are
   * scored against {@code column}, the segment's bit strings, read in place.
   */
  public static BitHnswIndex load(Path dir, IndexMetric metric, BinaryVectorColumn column)
      throws IOException {
    if (!metric.isBinary()) {
      throw new IllegalArgumentException("a bit-string index takes hamming or jaccard, not "
          + metric);
    }
    return new BitHnswIndex(RowGraph.load(dir, column.size()), metric, column);
  }

  @Override
  public IndexMethod method() {
    return IndexMethod.HNSW;
  }

  @Override
  public IndexMetric metric() {
    return metric;
  }

  @Override
  public int size() {
    return graph.size();
  }

  /** The graph is mapped and the bits are the segment's: nothing on the heap per row. */
  @Override
  public long heapBytes() {
    return 0;
  }

  /**
   * The rows nearest to the bit string {@code query} (packed as the column's rows, of as many
   * bits) among those {@code accept} lets through (null: all), best first, at most {@code topK};
   * {@code ef} (raised to topK) is the width of the search.
   */
  public int[] search(byte[] query, int topK, int ef, IntPredicate accept) {
    if (query.length != rows.bytesPerRow()) {
      throw new IllegalArgumentException("a query of " + query.length
          + " bytes against bit strings of " + rows.bytesPerRow());
    }
    return graph.search(row -> similarity(metric, rows, row, query), topK, ef, accept);
  }

  @Override
  public void close() throws IOException {
    graph.close();
  }
}
