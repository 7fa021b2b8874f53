package org.quiver.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.vector.SparseVector;

/**
 * HNSW over sparse vectors: NULL rows (and by cosine zero rows) left out and zero rows found
 * beside the graph, rows of more than 1,000 non-zeros indexed, bit metrics and other dimensions
 * refused, the similarity jvector ranks by. Recall against exact search with and without a
 * filter for every metric and a corrupt graph file are the engine's
 * {@code VectorIndexContractTest}'s, as for every index.
 */
class SparseHnswIndexTest {
  private static final int DIM = 1000;

  @TempDir
  Path dir;

  /** Topics rows are drawn around; each has a fixed set of indices with fixed weights. */
  private static final int TOPICS = 40;

  /**
   * A random sparse vector near one of {@link #TOPICS} topics: the topic's 20 indices with its
   * weights jittered by up to a quarter (a few of them dropped), plus {@code extra} indices drawn
   * from all {@link #DIM}, values in (0, 1] with a sign flipped now and then. Rows that share a
   * topic are near one another, as sparse embeddings of one subject are; uniformly random sparse
   * rows are not, and on them the nearest neighbours are decided by noise (one seed in a few
   * gave an L2 recall of 0.86 at ef 200), which is no test of the graph.
   */
  static SparseVector random(Random random, int extra) {
    Random topic = new Random(random.nextInt(TOPICS) * 7919L);
    BitSet chosen = new BitSet(DIM);
    float[] weights = new float[DIM];
    for (int i = 0; i < 20; i++) {
      int index = topic.nextInt(DIM);
      float weight = 1 - topic.nextFloat();
      if (random.nextInt(10) != 0) {
        chosen.set(index);
        weights[index] = weight * (0.75f + random.nextFloat() / 2);
      }
    }
    for (int i = 0; i < extra; i++) {
      int index = random.nextInt(DIM);
      chosen.set(index);
      weights[index] = (1 - random.nextFloat()) * (random.nextInt(10) == 0 ? -1 : 1) / 2;
    }
    int[] indices = chosen.stream().toArray();
    float[] values = new float[indices.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = weights[indices[i]];
    }
    return new SparseVector(DIM, indices, values);
  }

  static SparseVectorColumn column(Random random, int count, BitSet nulls) {
    SparseVector[] rows = new SparseVector[count];
    for (int r = 0; r < count; r++) {
      rows[r] = nulls.get(r) ? null : random(random, random.nextInt(11));
    }
    return SparseVectorColumn.of(DIM, rows, count);
  }

  @Test
  void nullRowsAndByCosineZeroRowsHaveNoNode() throws IOException {
    Random random = new Random(3);
    SparseVector[] values = new SparseVector[500];
    BitSet absent = new BitSet();
    for (int r = 0; r < values.length; r++) {
      if (r % 3 == 0) {
        absent.set(r);
      } else if (r % 7 == 0) {
        values[r] = new SparseVector(DIM, new int[0], new float[0]);
      } else {
        values[r] = random(random, 15);
      }
    }
    SparseVectorColumn rows = SparseVectorColumn.of(DIM, values, values.length);
    SparseHnswIndex.build(dir.resolve("l2"), 2, rows,
        new IndexParams(IndexMetric.L2, 8, 40, 0, 0, 1));
    try (SparseHnswIndex index = SparseHnswIndex.load(dir.resolve("l2"), IndexMetric.L2, rows)) {
      assertEquals(500 - absent.cardinality(), index.size());
      // The zero query is as near to a NULL row as to a row of zeros: only the latter is found.
      int[] found = index.search(new SparseVector(DIM, new int[0], new float[0]), 100, 400, null);
      assertEquals(100, found.length);
      assertTrue(Arrays.stream(found).noneMatch(absent::get), Arrays.toString(found));
      assertArrayEquals(new int[] {7, 14, 28, 35, 49}, Arrays.copyOf(found, 5));
      // The rows of zeros are nearest to a query of small norm, and come first.
      SparseVector small = new SparseVector(DIM, new int[] {2}, new float[] {0.01f});
      int[] nearest = index.search(small, 5, 40, r -> r != 7);
      assertArrayEquals(new int[] {14, 28, 35, 49, 56}, nearest);
    }
    SparseHnswIndex.build(dir.resolve("cos"), 2, rows,
        new IndexParams(IndexMetric.COSINE, 8, 40, 0, 0, 1));
    try (SparseHnswIndex index =
        SparseHnswIndex.load(dir.resolve("cos"), IndexMetric.COSINE, rows)) {
      BitSet zeros = new BitSet();
      IntStream.range(0, 500).filter(r -> r % 3 != 0 && r % 7 == 0).forEach(zeros::set);
      assertEquals(500 - absent.cardinality() - zeros.cardinality(), index.size());
      int[] found = index.search(random(random, 15), 100, 400, null);
      assertEquals(100, found.length);
      assertTrue(Arrays.stream(found).noneMatch(r -> absent.get(r) || zeros.get(r)));
      // A zero query has no direction: nothing is near it.
      assertArrayEquals(new int[0],
          index.search(new SparseVector(DIM, new int[0], new float[0]), 5, 10, null));
    }
  }

  @Test
  void aRowOfMoreThanAThousandNonZerosIsIndexedUnlikePgvector() throws IOException {
    SparseVector dense = new SparseVector(1500, IntStream.range(0, 1200).toArray(), filled(1200));
    SparseVectorColumn wide = SparseVectorColumn.of(1500, new SparseVector[] {
        new SparseVector(1500, new int[] {4}, new float[] {2}), dense,
        new SparseVector(1500, new int[] {1400}, new float[] {-1})}, 3);
    SparseHnswIndex.build(dir, 6, wide, new IndexParams(IndexMetric.IP, 8, 40, 0, 0, 1));
    try (SparseHnswIndex index = SparseHnswIndex.load(dir, IndexMetric.IP, wide)) {
      assertEquals(3, index.size());
      assertArrayEquals(new int[] {1, 0, 2}, index.search(dense, 3, 10, null));
    }
  }

  private static float[] filled(int n) {
    float[] values = new float[n];
    Arrays.fill(values, 1f);
    return values;
  }

  @Test
  void bitMetricsQuantizationAndOtherDimensionsAreRefused() throws IOException {
    SparseVectorColumn rows = column(new Random(9), 50, new BitSet());
    assertThrows(IllegalArgumentException.class, () -> SparseHnswIndex.build(dir, 5, rows,
        new IndexParams(IndexMetric.HAMMING, 8, 40, 0, 0, 1)));
    assertThrows(IllegalArgumentException.class, () -> SparseHnswIndex.build(dir, 5, rows,
        new IndexParams(IndexMetric.L2, 8, 40, 0, 0, 1, Quantization.PQ)));
    SparseHnswIndex.build(dir, 5, rows, new IndexParams(IndexMetric.L1, 8, 40, 0, 0, 1));
    try (SparseHnswIndex index = SparseHnswIndex.load(dir, IndexMetric.L1, rows)) {
      assertThrows(IllegalArgumentException.class, () -> index.search(
          new SparseVector(DIM + 1, new int[] {1}, new float[] {1}), 5, 10, null));
    }
  }

  @Test
  void innerProductSimilarityIsPositiveAndFallsAsTheDistanceGrows() {
    float[] distances = {Float.NEGATIVE_INFINITY, -1e30f, -5, -1, -0.5f, 0, 0.5f, 1, 5, 1e30f};
    for (int i = 0; i + 1 < distances.length; i++) {
      float nearer = SparseHnswIndex.similarity(IndexMetric.IP, distances[i]);
      float farther = SparseHnswIndex.similarity(IndexMetric.IP, distances[i + 1]);
      assertTrue(farther > 0 && nearer > farther, distances[i] + " vs " + distances[i + 1]);
    }
    assertEquals(1f, SparseHnswIndex.similarity(IndexMetric.IP, 0));
    assertTrue(SparseHnswIndex.similarity(IndexMetric.COSINE, Float.NaN) > 0);
  }
}
