package org.quiver.storage.index.ivf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.vector.LowRankMixture;

/**
 * IVF_PQ on segments with fewer rows than a codebook has entries (jvector trains no more entries
 * than it has points): the index is written, and with every list probed it answers what exact
 * search answers, the re-ranking depth covering every row.
 */
class IvfPqIndexTest {
  private static final int DIM = 8;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 17, 100})
  void aSegmentSmallerThanACodebookIsIndexed(int count) throws IOException {
    float[] vectors = new LowRankMixture(count, DIM, 3, 4).next(count);
    IvfFormat.PQ.writer().write(dir, 1, vectors, DIM, count,
        new IndexParams(IndexMetric.L2, 16, 100, 4, 3, 5));
    float[] query = new LowRankMixture(99, DIM, 3, 4).next(1);
    int[] exact = IntStream.range(0, count).boxed()
        .sorted(Comparator.comparingDouble(r -> IndexMetric.L2.distance(query, 0, vectors, r * DIM,
            DIM)))
        .limit(10).mapToInt(Integer::intValue).toArray();
    try (VectorIndex index = IvfFormat.PQ.reader().read(dir, IndexMetric.L2,
        SegmentVectors.of(vectors, DIM))) {
      assertEquals(count, index.size());
      assertArrayEquals(exact, index.search(query, 10, new SearchParams(10, 4), null),
          "count " + count + ": " + Arrays.toString(exact));
    }
  }
}
