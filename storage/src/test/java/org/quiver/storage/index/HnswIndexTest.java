package org.quiver.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.graph.disk.feature.FeatureId;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.vector.VectorKernels;
import org.junit.jupiter.api.Test;

/**
 * HNSW against exact search on clustered data (uniform random vectors would make any graph index
 * look broken): recall, filters, and refusal of a corrupt file. Seeded by {@code -Dtests.seed}.
 */
class HnswIndexTest {
  private static final int DIM = 24;
  private static final int COUNT = 3000;

  @TempDir
  Path dir;

  /** A Gaussian mixture: 20 centres, points scattered around them. */
  static float[] clustered(Random random, int count, int dim) {
    float[][] centres = new float[20][dim];
    for (float[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) random.nextGaussian() * 4;
      }
    }
    float[] v = new float[count * dim];
    for (int i = 0; i < count; i++) {
      float[] c = centres[random.nextInt(centres.length)];
      for (int d = 0; d < dim; d++) {
        v[i * dim + d] = c[d] + (float) random.nextGaussian();
      }
    }
    return v;
  }

  private static double distance(IndexMetric metric, float[] q, float[] v, int row) {
    return switch (metric) {
      case L2 -> VectorKernels.l2Squared(q, v, row * DIM, DIM);
      case IP -> -VectorKernels.dot(q, v, row * DIM, DIM);
      case COSINE -> VectorKernels.cosineDistance(
          q, (float) Math.sqrt(VectorKernels.normSquared(q, 0, DIM)), v, row * DIM, DIM);
      case HAMMING, JACCARD, L1 -> throw new IllegalArgumentException(metric + " is no float metric");
    };
  }

  private static int[] exact(IndexMetric metric, float[] q, float[] v, int k,
      java.util.function.IntPredicate accept) {
    return IntPredicateStream.rows(COUNT).filter(accept)
        .boxed()
        .sorted((a, b) -> Double.compare(distance(metric, q, v, a), distance(metric, q, v, b)))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  /** Rows as a stream (a name for readability). */
  private static final class IntPredicateStream {
    static IntStream rows(int n) {
      return IntStream.range(0, n);
    }
  }

  @ParameterizedTest
  @EnumSource(value = IndexMetric.class, names = {"L2", "IP", "COSINE"})
  void recallAgainstExactSearchWithAndWithoutFilter(IndexMetric metric) throws IOException {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random random = new Random(seed);
    // Inner-product graphs assume normalised vectors (maximum inner product search on raw vectors
    // is not what HNSW navigates well); the others take the data as it is.
    float[] vectors = clustered(random, COUNT, DIM);
    if (metric == IndexMetric.IP) {
      normalise(vectors);
    }
    HnswIndex.build(dir, 1, vectors, DIM, COUNT, metric, 16, 100);
    try (HnswIndex index = HnswIndex.load(dir, metric)) {
      assertEquals(COUNT, index.size());
      int found = 0;
      int foundFiltered = 0;
      int queries = 50;
      for (int q = 0; q < queries; q++) {
        float[] query = Arrays.copyOfRange(clustered(random, 1, DIM), 0, DIM);
        if (metric == IndexMetric.IP) {
          normalise(query);
        }
        Set<Integer> truth = new HashSet<>();
        for (int r : exact(metric, query, vectors, 10, r -> true)) {
          truth.add(r);
        }
        for (int r : index.search(query, 10, 200, null)) {
          found += truth.contains(r) ? 1 : 0;
        }
        Set<Integer> truthEven = new HashSet<>();
        for (int r : exact(metric, query, vectors, 10, r -> r % 2 == 0)) {
          truthEven.add(r);
        }
        int[] even = index.search(query, 10, 200, r -> r % 2 == 0);
        assertTrue(Arrays.stream(even).allMatch(r -> r % 2 == 0), "seed=" + seed);
        for (int r : even) {
          foundFiltered += truthEven.contains(r) ? 1 : 0;
        }
      }
      double recall = found / (10.0 * queries);
      double recallFiltered = foundFiltered / (10.0 * queries);
      assertTrue(recall >= 0.9, metric + " recall@10 " + recall + " seed=" + seed);
      assertTrue(recallFiltered >= 0.9, metric + " filtered recall@10 " + recallFiltered + " seed=" + seed);
    }
  }

  /**
   * With PQ codes, a search as wide as ef 200 re-ranks only its best {@code rerank} candidates by
   * their codes: the rows come back in exact distance order, and a shortlist of 60 keeps recall.
   */
  @Test
  void aQuantizedSearchReRanksItsShortlistOnly() throws IOException {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random random = new Random(seed);
    float[] vectors = clustered(random, COUNT, DIM);
    HnswIndex.build(dir, 1, vectors, DIM, COUNT,
        new IndexParams(IndexMetric.L2, 16, 100, 0, 0, 1, Quantization.PQ));
    try (HnswIndex index = HnswIndex.load(dir, IndexMetric.L2)) {
      assertEquals(Quantization.PQ, index.quantization());
      int found = 0;
      int queries = 50;
      for (int q = 0; q < queries; q++) {
        float[] query = Arrays.copyOfRange(clustered(random, 1, DIM), 0, DIM);
        int[] rows = index.search(query, 10, 200, 60, null);
        assertEquals(10, rows.length, "seed=" + seed);
        for (int i = 1; i < rows.length; i++) {
          assertTrue(distance(IndexMetric.L2, query, vectors, rows[i - 1])
              <= distance(IndexMetric.L2, query, vectors, rows[i]), "exact order, seed=" + seed);
        }
        Set<Integer> truth = new HashSet<>();
        for (int r : exact(IndexMetric.L2, query, vectors, 10, r -> true)) {
          truth.add(r);
        }
        for (int r : rows) {
          found += truth.contains(r) ? 1 : 0;
        }
        // A shortlist as deep as the search is the search that re-ranks every candidate.
        assertArrayEquals(index.search(query, 10, 200, null),
            index.search(query, 10, 200, 200, null), "seed=" + seed);
        int[] even = index.search(query, 10, 200, 60, r -> r % 2 == 0);
        assertTrue(Arrays.stream(even).allMatch(r -> r % 2 == 0), "seed=" + seed);
      }
      double recall = found / (10.0 * queries);
      System.out.printf("pq shortlist 60 of ef 200: recall@10 %.3f seed=%d%n", recall, seed);
      assertTrue(recall >= 0.9, "recall@10 " + recall + " seed=" + seed);
    }
  }

  /**
   * By cosine a vector of zeros has no direction: jvector's cosine divides by its norm (NaN, and
   * an AssertionError with -ea while the graph is built), so such rows get no node, as pgvector's
   * cosine opclasses leave them out. The others are built and found as usual; a query of zeros,
   * at distance 1 from every row as the kernels define it, finds k rows of the graph, whatever
   * the codes steering the search.
   */
  @ParameterizedTest
  @EnumSource(Quantization.class)
  void byCosineRowsOfZerosHaveNoNodeAndAQueryOfZerosFindsRows(Quantization quantization)
      throws IOException {
    Random random = new Random(11);
    int count = 600;
    float[] vectors = clustered(random, count, DIM);
    Set<Integer> zeros = Set.of(0, 7, 300, count - 1);
    for (int row : zeros) {
      Arrays.fill(vectors, row * DIM, (row + 1) * DIM, 0f);
    }
    HnswIndex.build(dir, 1, vectors, DIM, count,
        new IndexParams(IndexMetric.COSINE, 8, 50, 0, 0, 1, quantization));
    try (HnswIndex own = HnswIndex.load(dir, IndexMetric.COSINE);
        HnswIndex segment =
            HnswIndex.load(dir, IndexMetric.COSINE, SegmentVectors.of(vectors, DIM))) {
      for (HnswIndex index : new HnswIndex[] {own, segment}) {
        assertEquals(count - zeros.size(), index.size());
        for (int q = 0; q < 20; q++) {
          float[] query = Arrays.copyOfRange(clustered(random, 1, DIM), 0, DIM);
          int[] rows = index.search(query, 10, 100, null);
          assertEquals(10, rows.length);
          assertTrue(Arrays.stream(rows).noneMatch(zeros::contains), Arrays.toString(rows));
        }
        int[] rows = index.search(new float[DIM], 10, 100, null);
        assertEquals(10, rows.length, quantization + ": " + Arrays.toString(rows));
        assertTrue(Arrays.stream(rows).noneMatch(zeros::contains), Arrays.toString(rows));
        assertEquals(10, Arrays.stream(rows).distinct().count(), Arrays.toString(rows));
      }
    }
  }

  private static void normalise(float[] v) {
    for (int row = 0; row < v.length / DIM; row++) {
      float norm = (float) Math.sqrt(VectorKernels.normSquared(v, row * DIM, DIM));
      for (int d = 0; d < DIM; d++) {
        v[row * DIM + d] /= norm;
      }
    }
  }

  @Test
  void aCorruptGraphFileIsRefusedNamingIt() throws IOException {
    Random random = new Random(7);
    float[] vectors = clustered(random, 200, DIM);
    HnswIndex.build(dir, 1, vectors, DIM, 200, IndexMetric.L2, 8, 50);
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve(HnswIndex.GRAPH_FILE).toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x55);
    }
    CorruptSegmentException e =
        assertThrows(CorruptSegmentException.class, () -> HnswIndex.load(dir, IndexMetric.L2));
    assertTrue(e.getMessage().contains(HnswIndex.GRAPH_FILE), e.getMessage());
  }

  /**
   * {@code m} means what it means in HNSW, pgvector and Milvus: up to 2m neighbours on the base
   * layer, m above it. A graph built with m alone on every layer would be half as dense at the
   * base, and would need a wider search for the same recall.
   */
  @Test
  void mBoundsTheUpperLayersAndTwiceMTheBaseLayer() throws IOException {
    int m = 6;
    float[] v = clustered(new Random(7), COUNT, DIM);
    HnswIndex.build(dir, 1, v, DIM, COUNT, IndexMetric.L2, m, 40);
    try (ReaderSupplier reader = ReaderSupplierFactory.open(dir.resolve(HnswIndex.GRAPH_FILE))) {
      OnDiskGraphIndex graph = OnDiskGraphIndex.load(reader);
      assertEquals(2 * m, graph.getDegree(0));
      assertTrue(graph.getMaxLevel() >= 1, "a hierarchy of layers");
      for (int level = 1; level <= graph.getMaxLevel(); level++) {
        assertEquals(m, graph.getDegree(level), "layer " + level);
      }
      // Nodes use the room: on clustered data most base-layer nodes keep more than m neighbours.
      assertTrue(graph.getAverageDegree(0) > m, "average base degree " + graph.getAverageDegree(0));
      // The vectors lie apart from the adjacency lists, so the pages a search walks hold
      // neighbours only; they are still there for a reader without the segment's vectors.
      assertEquals(java.util.Set.of(FeatureId.SEPARATED_VECTORS), graph.getFeatureSet());
      assertArrayEquals(java.util.Arrays.copyOfRange(v, 5 * DIM, 6 * DIM),
          vectorOf(graph.getView().getVector(5)));
    }
  }

  /**
   * Graphs written before the vectors were moved apart (jvector's inline layout) still load and
   * answer the same way, scored against the segment's vectors or against their own.
   */
  @Test
  void aGraphWithInlineVectorsFromEarlierVersionsStillLoadsAndSearches() throws IOException {
    float[] v = clustered(new Random(11), 500, DIM);
    io.github.jbellis.jvector.graph.RandomAccessVectorValues values =
        new io.github.jbellis.jvector.graph.ListRandomAccessVectorValues(
            IntStream.range(0, 500).mapToObj(i -> GraphVectors.TYPES.createFloatVector(
                Arrays.copyOfRange(v, i * DIM, (i + 1) * DIM)))
                .collect(java.util.stream.Collectors.toList()), DIM);
    try (io.github.jbellis.jvector.graph.GraphIndexBuilder builder =
        HnswIndex.builder(values, IndexMetric.L2.similarity(), 8, 50)) {
      OnDiskGraphIndex.write(builder.build(values), values, dir.resolve(HnswIndex.GRAPH_FILE));
    }
    new org.quiver.storage.segment.SegmentManifest(1, 500, 0, 0, java.util.List.of(
        org.quiver.storage.segment.FileInfo.of(dir, HnswIndex.GRAPH_FILE))).write(dir);
    float[] query = Arrays.copyOfRange(v, 42 * DIM, 43 * DIM);
    try (HnswIndex own = HnswIndex.load(dir, IndexMetric.L2);
        HnswIndex segment = HnswIndex.load(dir, IndexMetric.L2, SegmentVectors.of(v, DIM))) {
      assertEquals(42, own.search(query, 1, 50, null)[0]);
      assertEquals(42, segment.search(query, 1, 50, null)[0]);
    }
  }

  private static float[] vectorOf(io.github.jbellis.jvector.vector.types.VectorFloat<?> v) {
    float[] out = new float[v.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }

  /**
   * Graph searches score on the JDK Vector API when the JVM has it (the build's tests run with
   * it, as the launcher does): jvector's native library makes a foreign call per distance.
   */
  @Test
  void graphsScoreOnTheVectorApiWhenTheJvmHasIt() {
    assertTrue(VectorKernels.usesSimd(), "the tests run with jdk.incubator.vector");
    assertEquals("PanamaVectorizationProvider", GraphVectors.provider());
  }
}
