package org.quiver.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metric numbers the catalog persists, pinned so that a reordering cannot re-read an index as
 * another metric; and the similarity scale jvector builds and searches bit-string graphs on.
 */
class IndexMetricTest {
  @Test
  void persistedNumbersAreFixed() {
    List<IndexMetric> byNumber = List.of(IndexMetric.L2, IndexMetric.IP, IndexMetric.COSINE,
        IndexMetric.HAMMING, IndexMetric.JACCARD, IndexMetric.L1);
    for (int i = 0; i < byNumber.size(); i++) {
      assertEquals(i + 1, byNumber.get(i).number());
      assertEquals(byNumber.get(i), IndexMetric.ofNumber(i + 1));
    }
    assertEquals(IndexMetric.values().length, byNumber.size());
    assertEquals(List.of(IndexMetric.L2, IndexMetric.IP, IndexMetric.COSINE, IndexMetric.L1),
        IndexMetric.FLOAT_METRICS);
    assertEquals(List.of(IndexMetric.L2, IndexMetric.IP, IndexMetric.COSINE),
        IndexMetric.CODED_METRICS);
    assertEquals(List.of(IndexMetric.L2, IndexMetric.IP, IndexMetric.COSINE, IndexMetric.L1),
        IndexMetric.SPARSE_METRICS);
    assertEquals(IndexMetric.L1, IndexMetric.ofName("l1"));
  }

  /** NULL rows are in no index; rows of zeros are in none by cosine only, having no direction. */
  @Test
  void byCosineRowsOfZerosAreNotIndexed() {
    float[] flat = {1, 0, 0, 0, Float.NaN, Float.NaN, 0, -2};
    assertArrayEquals(new int[] {0, 1, 3}, IndexMetric.L2.indexedRows(flat, 2, 4));
    assertArrayEquals(new int[] {0, 1, 3}, IndexMetric.IP.indexedRows(flat, 2, 4));
    assertArrayEquals(new int[] {0, 3}, IndexMetric.COSINE.indexedRows(flat, 2, 4));
    assertTrue(IndexMetric.COSINE.hasNoDirection(new float[3]));
    assertFalse(IndexMetric.COSINE.hasNoDirection(new float[] {0, 1e-3f, 0}));
    assertFalse(IndexMetric.L2.hasNoDirection(new float[3]));
  }

  @Test
  void sparseMetricsAreNeitherBinaryNorOfJvector() {
    assertTrue(IndexMetric.L1.isSparse() && IndexMetric.IP.isSparse());
    assertFalse(IndexMetric.L1.isBinary());
    assertFalse(IndexMetric.HAMMING.isSparse());
    // L1 has no jvector function: its float graph is scored by Quiver (L1HnswIndex).
    assertThrows(IllegalStateException.class, IndexMetric.L1::similarity);
  }

  @Test
  void l1ComparesFloatVectorsOnTheHeapAndMapped() {
    float[] q = {1, -2, 3};
    float[] data = {0, 0, 0, 1, 2, -3};
    assertEquals(6f, IndexMetric.L1.distance(q, 0f, data, 0, 3));
    assertEquals(10f, IndexMetric.L1.distance(q, 0f, data, 3, 3));
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      java.lang.foreign.MemorySegment mapped = arena.allocate(data.length * Float.BYTES);
      for (int i = 0; i < data.length; i++) {
        mapped.set(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED
            .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), (long) i * Float.BYTES, data[i]);
      }
      assertEquals(10f, IndexMetric.L1.distance(q, 0f, mapped, 3 * Float.BYTES, 3));
      float[] out = new float[2];
      IndexMetric.L1.distances(q, 0f, mapped, 0, 3, 2, out);
      assertArrayEquals(new float[] {6f, 10f}, out);
    }
    assertEquals(1f, IndexMetric.L1.similarity(0));
    assertTrue(IndexMetric.L1.similarity(10) < IndexMetric.L1.similarity(6));
  }

  @Test
  void bitMetricSimilaritiesArePositiveAndFallAsTheDistanceGrows() {
    assertTrue(IndexMetric.HAMMING.isBinary() && IndexMetric.JACCARD.isBinary());
    assertFalse(IndexMetric.L2.isBinary());
    assertEquals(1f, IndexMetric.HAMMING.similarity(0));
    assertEquals(0.5f, IndexMetric.HAMMING.similarity(1));
    assertEquals(1f, IndexMetric.JACCARD.similarity(0));
    assertEquals(0.5f, IndexMetric.JACCARD.similarity(1));
    for (int d = 0; d < 100; d++) {
      assertTrue(IndexMetric.HAMMING.similarity(d + 1) < IndexMetric.HAMMING.similarity(d));
      assertTrue(IndexMetric.HAMMING.similarity(d) > 0);
      float j = d / 100f;
      assertTrue(IndexMetric.JACCARD.similarity(j + 0.01f) < IndexMetric.JACCARD.similarity(j));
    }
  }
}
