package org.quiver.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.schema.DataType;

/**
 * HNSW over bit strings: NULL rows left out while every other row stays reachable, float metrics
 * and quantization refused. Recall against exact search with and without a filter, an empty graph
 * and a corrupt graph file are the engine's {@code VectorIndexContractTest}'s, as for every index.
 */
class BitHnswIndexTest {
  /** 200 bits: three whole 64-bit words and a tail of one byte. */
  private static final int BITS = 200;

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
  void floatMetricsAndQuantizationAreRefused() {
    BinaryVectorColumn rows = clustered(new Random(9), 50, new BitSet());
    assertThrows(IllegalArgumentException.class, () -> BitHnswIndex.build(dir, 5, rows,
        new IndexParams(IndexMetric.L2, 8, 40, 0, 0, 1)));
    assertThrows(IllegalArgumentException.class, () -> BitHnswIndex.build(dir, 5, rows,
        new IndexParams(IndexMetric.HAMMING, 8, 40, 0, 0, 1, Quantization.PQ)));
  }
}
