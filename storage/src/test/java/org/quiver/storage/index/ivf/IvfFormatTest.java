package org.quiver.storage.index.ivf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.storage.index.IndexFormat;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.SegmentManifest;
import org.quiver.storage.vector.LowRankMixture;

/**
 * The versions of the IVF file. The fixtures under {@code ivf-v1/} were written by the IVF code
 * before the format recorded its PQ splits (version 1): 1,500 vectors of 12 floats from
 * {@code new LowRankMixture(7, 12, 5, 8)}, L2, nlist 4, pqM 5 (splits 2, 2, 3, 2, 3 wide, unlike
 * the 3, 3, 2, 2, 2 a quantizer that widens the first sub-spaces picks), seed 11; beside each,
 * {@code expected.txt} holds that code's answers for the next five vectors of the mixture at
 * nprobe 1 and 2.
 */
class IvfFormatTest {
  private static final int DIM = 12;
  private static final int COUNT = 1500;

  @TempDir
  Path dir;

  private static Path fixture(IndexMethod method) throws URISyntaxException {
    return Path.of(IvfFormatTest.class
        .getResource("/ivf-v1/" + method.name().toLowerCase(Locale.ROOT)).toURI());
  }

  @ParameterizedTest
  @EnumSource(value = IndexMethod.class, names = {"IVF_FLAT", "IVF_PQ"})
  void aVersion1FileIsReadAndAnswersAsTheCodeThatWroteIt(IndexMethod method) throws Exception {
    Path old = fixture(method);
    assertEquals(1, versionOf(old.resolve(IvfFormat.FILE)));
    LowRankMixture data = new LowRankMixture(7, DIM, 5, 8);
    float[] vectors = data.next(COUNT);
    float[] queries = data.next(5);
    List<String> expected = Files.readAllLines(old.resolve("expected.txt"));
    try (VectorIndex index = IndexFormat.of(method).reader().read(old, IndexMetric.L2,
        SegmentVectors.of(vectors, DIM))) {
      assertEquals(COUNT, index.size());
      int line = 0;
      for (int q = 0; q < 5; q++) {
        float[] query = Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
        for (int nprobe = 1; nprobe <= 2; nprobe++) {
          String[] parts = expected.get(line++).split(":");
          assertEquals(q + " " + nprobe, parts[0]);
          int[] want = Arrays.stream(parts[1].trim().split(" ")).mapToInt(Integer::parseInt)
              .toArray();
          assertArrayEquals(want, index.search(query, 10, new SearchParams(10, nprobe), null),
              method + " query " + q + " nprobe " + nprobe);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = IndexMethod.class, names = {"IVF_FLAT", "IVF_PQ", "IVF_SQ8"})
  void aNewFileIsTheCurrentVersionAndAVersionFromTheFutureIsRefused(IndexMethod method)
      throws IOException {
    float[] vectors = new LowRankMixture(3, DIM, 5, 8).next(600);
    IndexFormat format = IndexFormat.of(method);
    format.writer().write(dir, 1, vectors, DIM, 600,
        new IndexParams(IndexMetric.L2, 16, 100, 4, 5, 3));
    Path file = dir.resolve(IvfFormat.FILE);
    assertEquals(IvfFormat.VERSION, versionOf(file));
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(4);
      f.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(IvfFormat.VERSION + 1).array());
    }
    // A consistent manifest: what is refused is the version, not a checksum.
    new SegmentManifest(1, 600, 0, 0, List.of(FileInfo.of(dir, IvfFormat.FILE))).write(dir);
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
        () -> format.reader().read(dir, IndexMetric.L2, SegmentVectors.of(vectors, DIM)));
    assertTrue(e.reason().contains("version " + (IvfFormat.VERSION + 1)), e.getMessage());
  }

  private static int versionOf(Path file) throws IOException {
    byte[] header = new byte[8];
    try (var in = Files.newInputStream(file)) {
      assertEquals(8, in.readNBytes(header, 0, 8));
    }
    return ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
  }
}
