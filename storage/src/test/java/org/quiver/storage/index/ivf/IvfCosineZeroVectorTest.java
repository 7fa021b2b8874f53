package org.quiver.storage.index.ivf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.vector.LowRankMixture;

/**
 * IVF by cosine over rows some of which are all zeros: as in HNSW and pgvector's IVFFlat, such a
 * row (which has no direction) is in no list and never found; the others are, and a query of
 * zeros, at distance 1 from every row, finds k rows.
 */
class IvfCosineZeroVectorTest {
  private static final int DIM = 8;
  private static final int COUNT = 400;
  private static final int NLIST = 8;

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(value = IndexMethod.class, names = {"IVF_FLAT", "IVF_PQ", "IVF_SQ8"})
  void rowsOfZerosAreInNoListAndAQueryOfZerosFindsRows(IndexMethod method) throws IOException {
    float[] vectors = new LowRankMixture(COUNT, DIM, 3, 4).next(COUNT);
    Set<Integer> zeros = Set.of(0, 5, 200, COUNT - 1);
    for (int row : zeros) {
      Arrays.fill(vectors, row * DIM, (row + 1) * DIM, 0f);
    }
    org.quiver.storage.index.IndexFormat format = switch (method) {
      case IVF_FLAT -> IvfFormat.FLAT;
      case IVF_PQ -> IvfFormat.PQ;
      default -> IvfFormat.SQ8;
    };
    format.writer().write(dir, 1, vectors, DIM, COUNT,
        new IndexParams(IndexMetric.COSINE, 16, 100, NLIST, 4, 5));
    SearchParams everyList = new SearchParams(10, NLIST);
    try (VectorIndex index = format.reader().read(dir, IndexMetric.COSINE,
        SegmentVectors.of(vectors, DIM))) {
      assertEquals(COUNT - zeros.size(), index.size());
      LowRankMixture queries = new LowRankMixture(99, DIM, 3, 4);
      for (int q = 0; q < 20; q++) {
        int[] rows = index.search(queries.next(1), 10, everyList, null);
        assertEquals(10, rows.length, method.toString());
        assertTrue(Arrays.stream(rows).noneMatch(zeros::contains), Arrays.toString(rows));
      }
      int[] rows = index.search(new float[DIM], 10, everyList, null);
      assertEquals(10, rows.length, method + ": " + Arrays.toString(rows));
      assertTrue(Arrays.stream(rows).noneMatch(zeros::contains), Arrays.toString(rows));
      assertEquals(10, Arrays.stream(rows).distinct().count(), Arrays.toString(rows));
    }
  }
}
