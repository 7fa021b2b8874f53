package org.quiver.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.segment.CorruptSegmentException;

/**
 * HNSW over bit strings against the exact Hamming and Jaccard distances: recall with and without a
 * filter, NULL rows left out, a corrupt graph file refused. Seeded by {@code -Dtests.seed}.
 */
class BitHnswIndexTest {
  /** 200 bits: three whole 64-bit words and a tail of one byte. */
  private static final int BITS = 200;
  private static final int COUNT = 3000;
  private static final int K = 10;

  @TempDir
  Path dir;

  /**
   * {@code count} random bit strings around 30 random centres, each bit of a centre flipped with
   * probability 0.2, as binarised embeddings cluster; the rows in {@code nulls} are NULL.
   */
  static BinaryVectorColumn clustered(Random random, int count, BitSet nulls) {
    int bytes = DataType.bitBytes(BITS);
    byte[][] centres = new byte[30][bytes];
    for (byte[] c : centres) {
      random.nextBytes(c);
      c[bytes - 1] &= (byte) ~BinaryVectorColumn.padMask(BITS);
    }
    byte[] data = new byte[count * bytes];
    for (int r = 0; r < count; r++) {
      if (nulls.get(r)) {
        continue;
      }
      byte[] c = centres[random.nextInt(centres.length)];
      for (int bit = 0; bit < BITS; bit++) {
        boolean set = (c[bit / 8] & (0x80 >>> (bit % 8))) != 0;
        if (random.nextDouble() < 0.2) {
          set = !set;
        }
        if (set) {
          data[r * bytes + bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
      }
    }
    return new BinaryVectorColumn(BITS, data, nulls);
  }

  private static double distance(IndexMetric metric, BinaryVectorColumn rows, int row, byte[] q) {
    return metric == IndexMetric.HAMMING ? rows.hamming(row, q) : rows.jaccard(row, q);
  }

  /**
   * The share of {@code found} that are among the k nearest of the rows {@code accept} passes,
   * ties included: a row as near as the k-th nearest counts, since either answers the query.
   */
  private static double recall(IndexMetric metric, BinaryVectorColumn rows, byte[] q,
      int[] found, java.util.function.IntPredicate accept) {
    return RecallWithTies.of(K, rows.size(), r -> !rows.isNull(r) && accept.test(r),
        r -> distance(metric, rows, r, q), found);
  }

  @ParameterizedTest
  @EnumSource(value = IndexMetric.class, names = {"HAMMING", "JACCARD"})
  void recallAgainstExactSearchWithAndWithoutFilter(IndexMetric metric) throws IOException {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random random = new Random(seed);
    BinaryVectorColumn rows = clustered(random, COUNT, new BitSet());
    BitHnswIndex.build(dir, 1, rows, new IndexParams(metric, 16, 64, 0, 0, 1));
    try (BitHnswIndex index = BitHnswIndex.load(dir, metric, rows)) {
      assertEquals(COUNT, index.size());
      double recall = 0;
      double recallFiltered = 0;
      int queries = 50;
      for (int i = 0; i < queries; i++) {
        byte[] q = rows.get(random.nextInt(COUNT));
        q[random.nextInt(q.length - 1)] ^= 0x11;
        int[] found = index.search(q, K, 40, null);
        assertEquals(K, found.length, "seed=" + seed);
        recall += recall(metric, rows, q, found, r -> true);
        int[] even = index.search(q, K, 40, r -> r % 2 == 0);
        assertTrue(Arrays.stream(even).allMatch(r -> r % 2 == 0), "seed=" + seed);
        recallFiltered += recall(metric, rows, q, even, r -> r % 2 == 0);
      }
      recall /= queries;
      recallFiltered /= queries;
      System.out.printf("bit hnsw %s recall@10 %.3f filtered %.3f seed=%d%n", metric, recall,
          recallFiltered, seed);
      assertTrue(recall >= 0.9, metric + " recall@10 " + recall + " seed=" + seed);
      assertTrue(recallFiltered >= 0.9,
          metric + " filtered recall@10 " + recallFiltered + " seed=" + seed);
    }
  }

  @Test
  void nullRowsHaveNoNodeAndAreNeverFound() throws IOException {
    BitSet nulls = new BitSet();
    for (int r = 0; r < 500; r += 3) {
      nulls.set(r);
    }
    nulls.set(499);
    BinaryVectorColumn rows = clustered(new Random(3), 500, nulls);
    BitHnswIndex.build(dir, 2, rows, new IndexParams(IndexMetric.HAMMING, 8, 40, 0, 0, 1));
    try (BitHnswIndex index = BitHnswIndex.load(dir, IndexMetric.HAMMING, rows)) {
      assertEquals(500 - nulls.cardinality(), index.size());
      // The zero string is as near to a NULL row's zero bytes as to anything: still not found.
      int[] found = index.search(new byte[DataType.bitBytes(BITS)], 400, 400, null);
      // A search as wide as the graph reaches nearly every node; jvector builds concurrently, so
      // on a loaded machine a node or two can end up unreachable from the entry point.
      int present = 500 - nulls.cardinality();
      assertTrue(found.length >= present * 0.98 && found.length <= present,
          found.length + " of " + present + " rows found");
      assertTrue(Arrays.stream(found).noneMatch(nulls::get), Arrays.toString(found));
    }
  }

  @Test
  void aColumnOfNullsGivesAnEmptyGraph() throws IOException {
    BitSet nulls = new BitSet();
    nulls.set(0, 20);
    BinaryVectorColumn rows = new BinaryVectorColumn(BITS, new byte[20 * 25], nulls);
    BitHnswIndex.build(dir, 3, rows, new IndexParams(IndexMetric.JACCARD, 8, 40, 0, 0, 1));
    try (BitHnswIndex index = BitHnswIndex.load(dir, IndexMetric.JACCARD, rows)) {
      assertEquals(0, index.size());
      assertArrayEquals(new int[0], index.search(new byte[25], 5, 10, null));
    }
  }

  @Test
  void aCorruptGraphFileIsRefusedNamingIt() throws IOException {
    BinaryVectorColumn rows = clustered(new Random(7), 300, new BitSet());
    BitHnswIndex.build(dir, 4, rows, new IndexParams(IndexMetric.HAMMING, 8, 40, 0, 0, 1));
    try (RandomAccessFile f =
        new RandomAccessFile(dir.resolve(BitHnswIndex.GRAPH_FILE).toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x55);
    }
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
        () -> BitHnswIndex.load(dir, IndexMetric.HAMMING, rows));
    assertTrue(e.getMessage().contains(BitHnswIndex.GRAPH_FILE), e.getMessage());
  }

  @Test
  void floatMetricsAndQuantizationAreRefused() {
    BinaryVectorColumn rows = clustered(new Random(9), 50, new BitSet());
    assertThrows(IllegalArgumentException.class, () -> BitHnswIndex.build(dir, 5, rows,
        new IndexParams(IndexMetric.L2, 8, 40, 0, 0, 1)));
    assertThrows(IllegalArgumentException.class, () -> BitHnswIndex.build(dir, 5, rows,
        new IndexParams(IndexMetric.HAMMING, 8, 40, 0, 0, 1, Quantization.PQ)));
  }
}
