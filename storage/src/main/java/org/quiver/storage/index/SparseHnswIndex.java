package org.quiver.storage.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.segment.SegmentManifest;
import org.quiver.storage.vector.SparseKernels;
import org.quiver.storage.vector.SparseVector;

/**
 * An HNSW graph over the sparse vectors of one sealed segment (a SPARSE_FLOAT_VECTOR column), by
 * L2, IP, COSINE or L1 distance, as pgvector's {@code sparsevec_*_ops}: a {@link RowGraph} whose
 * rows are scored by one merge of their non-zero elements, against the segment's own column,
 * where its arrays lie.
 *
 * <p>jvector scores with positive similarities (larger is nearer); a distance d maps to
 * {@link #similarity}: {@code 1 / (1 + d)} for the squared L2, the cosine and the L1 distance
 * (all at least 0), and for IP's negated inner product {@code 1 - d} when d is at most 0,
 * {@code 1 / (1 + d)} above, which is positive, continuous and decreasing over every float.
 *
 * <p>Unlike pgvector, whose index tuples must fit a page (1,000 non-zero elements at most), any
 * row is indexed, however many non-zero elements it has. A row of zeros has no node, like a NULL row: by
 * cosine it has no direction and is never found (pgvector leaves it out too); by L2, L1 and IP
 * it is as near to every row as that row's own norm, which makes all zero rows a hub that the
 * diversity pruning lets take over every neighbour list and cut the graph apart, so instead a
 * search scores the zero rows directly (their row numbers are found when the index is opened)
 * and merges them with what the graph finds. Files: {@value #GRAPH_FILE} and a {@link SegmentManifest} listing it with
 * its size and CRC32C (see {@link RowGraph}). Node {@code i} is row {@code i}. Searches are
 * thread-safe; {@link #close} must not run concurrently with a search.
 */
public final class SparseHnswIndex implements SegmentIndex {
  public static final String GRAPH_FILE = RowGraph.GRAPH_FILE;

  private final RowGraph graph;
  private final IndexMetric metric;
  private final SparseVectorColumn rows;
  /** The non-NULL rows without a non-zero element, ascending; none by cosine. */
  private final int[] zeroRows;

  private SparseHnswIndex(RowGraph graph, IndexMetric metric, SparseVectorColumn rows) {
    this.graph = graph;
    this.metric = metric;
    this.rows = rows;
    this.zeroRows = metric == IndexMetric.COSINE ? new int[0] : IntStream.range(0, rows.size())
        .filter(r -> !rows.isNull(r) && rows.nonZeros(r) == 0).toArray();
  }

  /**
   * The similarity jvector ranks by for a distance {@code d} by {@code metric} (see the class
   * comment); NaN, which only a zero cosine query or an overflowing sum gives, is the least.
   */
  static float similarity(IndexMetric metric, float d) {
    if (Float.isNaN(d)) {
      return Float.MIN_NORMAL;
    }
    if (metric == IndexMetric.IP && d <= 0) {
      return 1 - d;
    }
    return Math.max(1 / (1 + d), Float.MIN_NORMAL);
  }

  private static void check(IndexMetric metric) {
    if (!metric.isSparse()) {
      throw new IllegalArgumentException("a sparse vector index takes l2, ip, cosine or l1, not "
          + metric);
    }
  }

  /**
   * Builds the graph of the rows of {@code column} by {@code params}' metric (L2, IP, COSINE or
   * L1), m and ef_construction, and writes it into {@code dir} (created if absent). NULL rows and
   * rows of zeros have no node.
   */
  public static void build(Path dir, long segmentId, SparseVectorColumn column, IndexParams params)
      throws IOException {
    IndexMetric metric = params.metric();
    check(metric);
    if (params.quantization() != Quantization.NONE) {
      throw new IllegalArgumentException("a sparse vector index has no quantization");
    }
    int[] present = IntStream.range(0, column.size())
        .filter(r -> !column.isNull(r) && column.nonZeros(r) > 0)
        .toArray();
    RowGraph.build(dir, segmentId, column.size(), present, column.dimension(),
        (a, b) -> similarity(metric, metric.distance(column, a, b)), params.m(),
        params.efConstruction());
  }

  /**
   * Opens the index in {@code dir} after verifying its files against the manifest; candidates are
   * scored against {@code column}, the segment's sparse vectors, read in place.
   */
  public static SparseHnswIndex load(Path dir, IndexMetric metric, SparseVectorColumn column)
      throws IOException {
    check(metric);
    return new SparseHnswIndex(RowGraph.load(dir, column.size()), metric, column);
  }

  @Override
  public IndexMethod method() {
    return IndexMethod.HNSW;
  }

  @Override
  public IndexMetric metric() {
    return metric;
  }

  /** Rows the index finds: the graph's nodes and the zero rows it scores directly. */
  @Override
  public int size() {
    return graph.size() + zeroRows.length;
  }

  /**
   * The graph is mapped and the vectors are the segment's: the heap holds only the zero rows'
   * numbers.
   */
  @Override
  public long heapBytes() {
    return 4L * zeroRows.length;
  }

  /**
   * The rows nearest to {@code query} (of the column's dimension) among those {@code accept} lets
   * through (null: all), best first, at most {@code topK}; {@code ef} (raised to topK) is the
   * width of the search. By cosine a query of zeros has no direction and finds nothing.
   */
  public int[] search(SparseVector query, int topK, int ef, IntPredicate accept) {
    if (query.dimension() != rows.dimension()) {
      throw new IllegalArgumentException("a query of " + query.dimension()
          + " dimensions against sparse vectors of " + rows.dimension());
    }
    if (metric == IndexMetric.COSINE
        && SparseKernels.normSquared(query.values(), 0, query.nonZeros()) == 0) {
      return new int[0];
    }
    int[] found = graph.search(row -> similarity(metric, metric.distance(rows, row, query)),
        topK, ef, accept);
    if (zeroRows.length == 0) {
      return found;
    }
    // Every zero row is as far from the query as any other: the first that pass will do.
    int[] zeros = Arrays.stream(zeroRows).filter(r -> accept == null || accept.test(r))
        .limit(topK).toArray();
    if (zeros.length == 0) {
      return found;
    }
    float zeroDistance = metric.distance(rows, zeros[0], query);
    int[] merged = new int[Math.min(topK, found.length + zeros.length)];
    int f = 0;
    int z = 0;
    for (int i = 0; i < merged.length; i++) {
      boolean takeFound = f < found.length && (z == zeros.length
          || metric.distance(rows, found[f], query) <= zeroDistance);
      merged[i] = takeFound ? found[f++] : zeros[z++];
    }
    return merged;
  }

  @Override
  public void close() throws IOException {
    graph.close();
  }
}
