package org.quiver.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorKernels;

/**
 * HNSW by L1 over float vectors: HNSW's format builds and opens it for metric L1 and finds the
 * rows an exact L1 scan finds; NULL rows are left out; quantization, other metrics, L1 through
 * jvector's graph or IVF, and a query of another dimension are refused. Recall with filters,
 * float16 segments, reopening, a corrupt file and the engine's path are the engine's
 * {@code VectorIndexContractTest}'s (variants HNSW_L1 and HNSW_L1_HALF).
 */
class L1HnswIndexTest {
  private static final int DIM = 8;
  private static final int COUNT = 500;

  @TempDir
  Path dir;

  /** Rows on a few clusters, so that the nearest neighbours are structure, not noise. */
  private static float[] rows(Random random) {
    float[] centres = new float[10 * DIM];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = random.nextFloat() * 20 - 10;
    }
    float[] vectors = new float[COUNT * DIM];
    for (int r = 0; r < COUNT; r++) {
      int c = random.nextInt(10);
      for (int d = 0; d < DIM; d++) {
        vectors[r * DIM + d] = centres[c * DIM + d] + (float) random.nextGaussian();
      }
    }
    return vectors;
  }

  private static int[] exact(float[] vectors, float[] q, int k) {
    return IntStream.range(0, COUNT).filter(r -> !NullVectors.isNull(vectors, r, DIM)).boxed()
        .sorted(Comparator.comparingDouble(r -> VectorKernels.l1(q, vectors, r * DIM, DIM)))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void hnswFormatBuildsAnL1GraphThatFindsTheExactNearestAndLeavesNullRowsOut()
      throws IOException {
    Random random = new Random(5);
    float[] vectors = rows(random);
    for (int r = 0; r < COUNT; r += 7) {
      NullVectors.set(vectors, r, DIM);
    }
    Path at = dir.resolve("l1");
    HnswIndex.FORMAT.writer().write(at, 1, vectors, DIM, COUNT,
        new IndexParams(IndexMetric.L1, 16, 100, 0, 0, 1));
    try (VectorIndex index = HnswIndex.FORMAT.reader().read(at, IndexMetric.L1,
        SegmentVectors.of(vectors, DIM))) {
      assertInstanceOf(L1HnswIndex.class, index);
      assertEquals(IndexMetric.L1, index.metric());
      assertEquals(IndexMethod.HNSW, index.method());
      assertEquals(COUNT - (COUNT + 6) / 7, index.size());
      assertEquals(0, index.heapBytes());
      int hits = 0;
      for (int i = 0; i < 20; i++) {
        float[] q = new float[DIM];
        int near = random.nextInt(COUNT);
        for (int d = 0; d < DIM; d++) {
          q[d] = vectors[near * DIM + d] + (float) random.nextGaussian() / 2;
        }
        int[] want = exact(vectors, q, 10);
        int[] got = index.search(q, 10, new SearchParams(64, 1), null);
        assertEquals(10, got.length);
        assertTrue(IntStream.of(got).noneMatch(r -> r % 7 == 0), "a NULL row was found");
        hits += (int) IntStream.of(got).filter(r -> IntStream.of(want).anyMatch(w -> w == r))
            .count();
        int[] even = index.search(q, 5, new SearchParams(64, 1), r -> r % 2 == 0);
        assertTrue(IntStream.of(even).allMatch(r -> r % 2 == 0), "the filter was ignored");
      }
      assertTrue(hits >= 0.95 * 200, "recall@10 " + hits / 200.0);
      // A row's own vector finds that row first, at distance 0.
      float[] own = SegmentVectors.of(vectors, DIM).row(3);
      assertArrayEquals(new int[] {3}, index.search(own, 1, new SearchParams(16, 1), null));
      assertThrows(IllegalArgumentException.class,
          () -> index.search(new float[DIM + 1], 1, new SearchParams(16, 1), null));
    }
  }

  @Test
  void quantizationOtherMetricsJvectorsGraphAndIvfAreRefused() throws IOException {
    float[] vectors = rows(new Random(6));
    for (Quantization q : new Quantization[] {Quantization.PQ, Quantization.BINARY,
        Quantization.NVQ}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HnswIndex.FORMAT.writer().write(dir.resolve("q"), 1, vectors, DIM, COUNT,
              new IndexParams(IndexMetric.L1, 16, 100, 0, 0, 1, q)));
      assertTrue(e.getMessage().contains(q.sqlName()), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> L1HnswIndex.build(dir.resolve("l2"), 1,
        vectors, DIM, COUNT, IndexParams.defaults(IndexMetric.L2)));
    assertThrows(IllegalArgumentException.class, () -> HnswIndex.build(dir.resolve("jv"), 1,
        vectors, DIM, COUNT, IndexParams.defaults(IndexMetric.L1)));
    for (IndexMethod method : new IndexMethod[] {IndexMethod.IVF_FLAT, IndexMethod.IVF_PQ,
        IndexMethod.IVF_SQ8}) {
      assertThrows(IllegalArgumentException.class, () -> IndexFormat.of(method).writer()
          .write(dir.resolve(method.name()), 1, vectors, DIM, COUNT,
              IndexParams.defaults(IndexMetric.L1)), method.name());
    }
  }
}
