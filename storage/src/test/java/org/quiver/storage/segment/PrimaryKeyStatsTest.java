package org.quiver.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.schema.DataType;

/** Bloom filters and primary-key statistics: no false negatives, bounded false positives, files. */
class PrimaryKeyStatsTest {
  /** Fixed so that the measured false-positive rates are the same on every run. */
  private static final long SEED = 20261122L;

  @TempDir Path dir;

  @Test
  void bloomFilterHasNoFalseNegativesAndItsSizedFalsePositiveRate() {
    for (double rate : new double[] {0.01, 0.001}) {
      Random random = new Random(SEED);
      int n = 20_000;
      BloomFilter bloom = BloomFilter.create(n, rate);
      Set<Long> keys = new HashSet<>();
      while (keys.size() < n) {
        keys.add(random.nextLong());
      }
      keys.forEach(bloom::add);
      for (Long k : keys) {
        assertTrue(bloom.mightContain(k), "false negative for " + k);
      }
      int probes = 200_000;
      int falsePositives = 0;
      for (int i = 0; i < probes; i++) {
        long k = random.nextLong();
        if (!keys.contains(k) && bloom.mightContain(k)) {
          falsePositives++;
        }
      }
      double measured = (double) falsePositives / probes;
      // Within 1.5x of the rate the filter was sized for (the textbook bound is exact in the mean).
      assertTrue(measured <= rate * 1.5, "rate " + rate + ": measured " + measured);
      assertTrue(measured >= rate / 4, "rate " + rate + ": measured " + measured
          + " is implausibly low: the filter is larger than its sizing says");
    }
  }

  @Test
  void bloomFilterOfStringKeysAndOverfilledFilterDegradeGracefully() {
    Random random = new Random(SEED + 1);
    BloomFilter bloom = BloomFilter.create(1_000, 0.01);
    List<String> keys = random.ints(10_000).mapToObj(i -> "key-" + i).toList();
    keys.forEach(bloom::add);
    // Ten times more keys than sized for: still no false negatives.
    keys.forEach(k -> assertTrue(bloom.mightContain(k)));
    int falsePositives = 0;
    for (int i = 0; i < 10_000; i++) {
      falsePositives += bloom.mightContain("other-" + i) ? 1 : 0;
    }
    assertTrue(falsePositives > 100, "an overfilled filter answers maybe more often");
  }

  @Test
  void statsPruneByRangeAndRoundTripThroughTheirFile() throws IOException {
    Object[] rows = {5L, 9L, 7L, 100L};
    Object[] deleted = {2L};
    PrimaryKeyStats stats = PrimaryKeyStats.of(DataType.INT64, rows, deleted);
    assertEquals(2L, stats.min());
    assertEquals(100L, stats.max());
    assertEquals(5, stats.keyCount());
    for (Object k : List.of(5L, 9L, 7L, 100L, 2L)) {
      assertTrue(stats.mightContain(k));
    }
    assertFalse(stats.mightContain(1L), "below the smallest key");
    assertFalse(stats.mightContain(101L), "above the largest key");

    FileInfo file = stats.write(dir);
    SegmentManifest manifest = new SegmentManifest(1, 4, 0, 0, List.of(file));
    manifest.write(dir);
    PrimaryKeyStats read = PrimaryKeyStats.read(dir, SegmentManifest.readListing(dir));
    assertEquals(stats.min(), read.min());
    assertEquals(stats.max(), read.max());
    assertEquals(stats.keyCount(), read.keyCount());
    assertEquals(stats.bloom(), read.bloom());
  }

  @Test
  void varcharAndEmptyStatsRoundTrip() throws IOException {
    PrimaryKeyStats strings = PrimaryKeyStats.of(DataType.VARCHAR, new Object[] {"b", "é", "a"});
    FileInfo file = strings.write(dir);
    PrimaryKeyStats read = PrimaryKeyStats.read(dir, new SegmentManifest(1, 3, 0, 0, List.of(file)));
    assertEquals("a", read.min());
    assertEquals("é", read.max());
    assertTrue(read.mightContain("b"));
    assertFalse(read.mightContain("0"));

    PrimaryKeyStats empty = PrimaryKeyStats.of(DataType.INT64, new Object[0]);
    FileInfo emptyFile = empty.write(dir);
    PrimaryKeyStats none = PrimaryKeyStats.read(dir, new SegmentManifest(1, 0, 0, 0, List.of(emptyFile)));
    assertNull(none.min());
    assertFalse(none.mightContain(1L));
  }

  @Test
  void aSegmentWithoutStatsReadsAsNullAndACorruptFileIsNamed() throws IOException {
    assertNull(PrimaryKeyStats.read(dir, new SegmentManifest(1, 0, 0, 0, List.of())));
    FileInfo file = PrimaryKeyStats.of(DataType.INT64, new Object[] {1L, 2L}).write(dir);
    try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(PrimaryKeyStats.FILE_NAME).toFile(), "rw")) {
      raf.seek(raf.length() - 1);
      raf.write(raf.read() ^ 0xff);
    }
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
        () -> PrimaryKeyStats.read(dir, new SegmentManifest(1, 2, 0, 0, List.of(file))));
    assertTrue(e.getMessage().contains(PrimaryKeyStats.FILE_NAME), e.getMessage());
  }
}
