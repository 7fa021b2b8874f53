package org.quiver.storage.index;

import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.SparseKernels;
import org.quiver.storage.vector.SparseVector;
import org.quiver.storage.vector.VectorKernels;

/**
 * The distance vectors are compared by, for a search and for the index built for it: smaller is
 * nearer for every metric (IP is the negated inner product, pgvector's {@code <#>}; L2 ranks by
 * the squared distance and a search reports its root). L2, IP, COSINE and L1 compare float
 * vectors (L1 is served by exact search and by HNSW, not by IVF nor by HNSW's quantizations:
 * {@link #CODED_METRICS}); HAMMING and JACCARD (Milvus's names) compare bit strings,
 * {@link #isBinary()}, through
 * {@link org.quiver.storage.vector.BitKernels}. SPARSE_FLOAT_VECTOR columns take L2, IP, COSINE
 * and L1 ({@link #isSparse()}), through {@link #distance(SparseVectorColumn, int, SparseVector)}.
 * The numbers are persisted in the catalog.
 */
public enum IndexMetric {
  /** Euclidean distance. */
  L2(1, VectorSimilarityFunction.EUCLIDEAN),
  /** Inner product (larger is nearer). */
  IP(2, VectorSimilarityFunction.DOT_PRODUCT),
  /** Cosine similarity. */
  COSINE(3, VectorSimilarityFunction.COSINE),
  /** Hamming distance of two bit strings: the number of bits that differ (pgvector's {@code <~>}). */
  HAMMING(4, null),
  /**
   * Jaccard distance of two bit strings: 1 - |a & b| / |a | b|, and 1 when no bit is set in
   * both (pgvector's {@code <%>}, which also gives 1 for two strings of zeros).
   */
  JACCARD(5, null),
  /**
   * Taxicab distance, the sum of the absolute differences (pgvector's {@code <+>}). jvector has no
   * function for it: an L1 graph is scored by Quiver's kernels alone.
   */
  L1(6, null);

  /** The metrics of float vectors (VECTOR and HALFVEC columns), in declaration order. */
  public static final List<IndexMetric> FLOAT_METRICS = List.of(L2, IP, COSINE, L1);

  /**
   * The float metrics that IVF's lists and HNSW's codes (PQ, binary, NVQ) serve: jvector's
   * similarity functions and IVF's k-means centroids are of these. pgvector's IVFFlat has no L1
   * class either; an L1 index is an HNSW graph without quantization.
   */
  public static final List<IndexMetric> CODED_METRICS = List.of(L2, IP, COSINE);

  private final int number;
  private final VectorSimilarityFunction similarity;

  IndexMetric(int number, VectorSimilarityFunction similarity) {
    this.number = number;
    this.similarity = similarity;
  }

  public int number() {
    return number;
  }

  /** The metrics of sparse vectors (SPARSEVEC columns), in declaration order. */
  public static final List<IndexMetric> SPARSE_METRICS = List.of(L2, IP, COSINE, L1);

  /** Whether the metric compares bit strings (HAMMING, JACCARD) rather than float vectors. */
  public boolean isBinary() {
    return this == HAMMING || this == JACCARD;
  }

  /** Whether the metric compares sparse vectors (L2, IP, COSINE, L1). */
  public boolean isSparse() {
    return SPARSE_METRICS.contains(this);
  }

  /**
   * The distance by this metric from row {@code row} of {@code rows} to {@code q} (of the same
   * dimension), smaller is nearer, as pgvector computes it for sparsevecs: squared Euclidean
   * distance, negated inner product, cosine distance (NaN when a norm is zero) or L1 distance.
   */
  public float distance(SparseVectorColumn rows, int row, SparseVector q) {
    return switch (this) {
      case L2 -> rows.l2Squared(row, q);
      case IP -> -rows.dot(row, q);
      case COSINE -> SparseKernels.cosineDistance(rows.dot(row, q), rows.normSquared(row),
          SparseKernels.normSquared(q.values(), 0, q.nonZeros()));
      case L1 -> rows.l1(row, q);
      case HAMMING, JACCARD -> throw new IllegalStateException(this + " compares bit strings");
    };
  }

  /** As {@link #distance(SparseVectorColumn, int, SparseVector)}, between rows a and b. */
  public float distance(SparseVectorColumn rows, int a, int b) {
    return switch (this) {
      case L2 -> rows.l2Squared(a, b);
      case IP -> -rows.dot(a, b);
      case COSINE -> SparseKernels.cosineDistance(rows.dot(a, b), rows.normSquared(a),
          rows.normSquared(b));
      case L1 -> rows.l1(a, b);
      case HAMMING, JACCARD -> throw new IllegalStateException(this + " compares bit strings");
    };
  }

  /**
   * The rows among the first {@code count} of a flat column that an index by this metric holds,
   * ascending: those whose vector is not NULL and, by cosine, not all zeros. A vector of zeros has
   * no direction: its cosine with anything divides by a zero norm, NaN in jvector's graph build
   * (which with -ea fails an assertion) and a point off the unit sphere for IVF's quantizer of
   * directions. pgvector's cosine opclasses leave such a row out of an HNSW or IVFFlat index
   * likewise (its normalisation fails and the row is skipped), so it is never found through one.
   */
  public int[] indexedRows(float[] flat, int dim, int count) {
    int[] present = NullVectors.presentRows(flat, dim, count);
    if (this != COSINE) {
      return present;
    }
    int n = 0;
    for (int row : present) {
      if (VectorKernels.normSquared(flat, row * dim, dim) != 0) {
        present[n++] = row;
      }
    }
    return n == present.length ? present : Arrays.copyOf(present, n);
  }

  /** Whether a query by this metric has nothing to rank by: a cosine query of zeros. */
  public boolean hasNoDirection(float[] query) {
    return this == COSINE && VectorKernels.normSquared(query, 0, query.length) == 0;
  }

  /** jvector's function for a float metric; a bit metric has none (Quiver scores it). */
  VectorSimilarityFunction similarity() {
    if (similarity == null) {
      throw new IllegalStateException(this + " has no jvector function for float vectors");
    }
    return similarity;
  }

  /**
   * The distance by this metric, smaller is nearer: squared Euclidean distance, negated inner
   * product, cosine distance or L1 distance, from {@code q} to the vector at {@code offset} of
   * {@code data}.
   *
   * @param qNorm the Euclidean norm of {@code q} (used by cosine only)
   */
  public float distance(float[] q, float qNorm, float[] data, int offset, int dim) {
    return switch (this) {
      case L2 -> VectorKernels.l2Squared(q, data, offset, dim);
      case IP -> -VectorKernels.dot(q, data, offset, dim);
      case COSINE -> VectorKernels.cosineDistance(q, qNorm, data, offset, dim);
      case L1 -> VectorKernels.l1(q, data, offset, dim);
      case HAMMING, JACCARD ->
          throw new IllegalStateException(this + " compares no dense float vectors");
    };
  }

  /** As {@link #distance(float[], float, float[], int, int)}, at byte {@code offset} of a mapped file. */
  public float distance(float[] q, float qNorm, MemorySegment data, long offset, int dim) {
    return switch (this) {
      case L2 -> VectorKernels.l2Squared(q, data, offset, dim);
      case IP -> -VectorKernels.dot(q, data, offset, dim);
      case COSINE -> VectorKernels.cosineDistance(q, qNorm, data, offset, dim);
      case L1 -> VectorKernels.l1(q, data, offset, dim);
      case HAMMING, JACCARD ->
          throw new IllegalStateException(this + " compares no dense float vectors");
    };
  }

  /**
   * The distances to {@code rows} vectors stored one after another from byte {@code offset} of
   * {@code data}, into {@code out}: {@link VectorKernels#l2SquaredRows} and its siblings, and for
   * L1 the one-row kernel row by row.
   */
  public void distances(float[] q, float qNorm, MemorySegment data, long offset, int dim,
      int rows, float[] out) {
    switch (this) {
      case L2 -> VectorKernels.l2SquaredRows(q, data, offset, dim, rows, out);
      case COSINE -> VectorKernels.cosineDistanceRows(q, qNorm, data, offset, dim, rows, out);
      case IP -> {
        VectorKernels.dotRows(q, data, offset, dim, rows, out);
        for (int i = 0; i < rows; i++) {
          out[i] = -out[i];
        }
      }
      case L1 -> {
        for (int i = 0; i < rows; i++) {
          out[i] = VectorKernels.l1(q, data, offset + (long) i * dim * Float.BYTES, dim);
        }
      }
      case HAMMING, JACCARD ->
          throw new IllegalStateException(this + " compares no dense float vectors");
    }
  }

  /**
   * A {@link #distance} as the similarity jvector's own function for this metric gives the same
   * pair (larger is nearer): {@code 1 / (1 + d)} of the squared Euclidean distance,
   * {@code (1 + dot) / 2} and {@code (1 + cos) / 2}, so a graph search scored by Quiver's kernels
   * ranks and compares candidates on the scale jvector scored them on while building.
   *
   * <p>A bit metric has no jvector function: its graph is built and searched with these
   * similarities alone, {@code 1 / (1 + h)} of a Hamming distance h (in (0, 1], 1 for equal
   * strings) and {@code 1 - j / 2} of a Jaccard distance j (in [1/2, 1]). Both are positive, as
   * jvector's search thresholds and diversity pruning assume, and decrease as the distance grows,
   * so the graph ranks rows in the order of the distance. L1 has no jvector function either:
   * {@code 1 / (1 + d)} of an L1 distance, for float vectors and sparse ones alike.
   */
  public float similarity(float distance) {
    return switch (this) {
      case L2, HAMMING, L1 -> 1 / (1 + distance);
      case IP -> (1 - distance) / 2;
      case COSINE, JACCARD -> 1 - distance / 2;
    };
  }

  public static IndexMetric ofNumber(int number) {
    return Arrays.stream(values()).filter(m -> m.number == number).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown index metric number " + number));
  }

  /** The metric named {@code name} (l2, ip, cosine, hamming, jaccard, l1), or null. */
  public static IndexMetric ofName(String name) {
    return Arrays.stream(values())
        .filter(m -> m.name().equals(name.toUpperCase(Locale.ROOT)))
        .findFirst()
        .orElse(null);
  }
}
