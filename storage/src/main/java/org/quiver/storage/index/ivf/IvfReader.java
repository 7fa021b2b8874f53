package org.quiver.storage.index.ivf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.segment.CorruptSegmentException;

/**
 * Opens an IVF index written in the {@link IvfFormat}: verifies the manifest's size and CRC32C
 * of the file, maps it, checks its header against the segment, and hands the sections to an
 * {@link IvfFlatIndex} (which keeps the mapping and scans the vectors in it) or an
 * {@link IvfPqIndex} (which copies its codes to the heap and lets the mapping go).
 */
final class IvfReader {
  private IvfReader() {}

  static VectorIndex read(IndexMethod method, Path dir, IndexMetric metric, SegmentVectors rows)
      throws IOException {
    Path path = IvfFormat.verifiedFile(dir);
    if ((method == IndexMethod.IVF_PQ || method == IndexMethod.IVF_SQ8) && rows == null) {
      throw new IllegalArgumentException(method + " re-ranks from the segment's vectors: pass them");
    }
    Arena arena = Arena.ofShared();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
      IvfFormat.Header header = IvfFormat.Header.decode(file, path, method, metric);
      if (rows != null && (header.dim() != rows.dimension() || header.count() > rows.rowCount())) {
        throw new CorruptSegmentException(path, "the index has " + header.count() + " rows of "
            + header.dim() + " floats, the segment " + rows.rowCount() + " of "
            + rows.dimension());
      }
      InvertedLists lists = lists(file, header, path);
      if (method == IndexMethod.IVF_FLAT) {
        return new IvfFlatIndex(lists, metric, header.dim(), arena, file, header.payloadAt());
      }
      if (method == IndexMethod.IVF_SQ8) {
        int dim = header.dim();
        float[] lows = new float[dim];
        float[] steps = new float[dim];
        MemorySegment.copy(file, IvfFormat.FLOAT, header.payloadAt(), lows, 0, dim);
        MemorySegment.copy(file, IvfFormat.FLOAT, header.payloadAt() + (long) dim * Float.BYTES,
            steps, 0, dim);
        byte[] codes = new byte[header.count() * dim];
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, header.scalarCodesAt(), codes, 0,
            codes.length);
        arena.close();
        return new IvfSq8Index(lists, metric, dim, new ScalarQuantizer(lows, steps), codes, rows);
      }
      PqCodebooks codebooks = codebooks(file, header, path);
      byte[] codes = new byte[header.count() * header.pqM()];
      MemorySegment.copy(file, ValueLayout.JAVA_BYTE, header.codesAt(), codes, 0, codes.length);
      // Everything IVF_PQ needs is on the heap now: the mapping is not kept.
      arena.close();
      return new IvfPqIndex(lists, metric, header.dim(), codebooks, codes, rows);
    } catch (IOException | RuntimeException e) {
      if (arena.scope().isAlive()) {
        arena.close();
      }
      throw e;
    }
  }

  private static InvertedLists lists(MemorySegment file, IvfFormat.Header header, Path path)
      throws CorruptSegmentException {
    int dim = header.dim();
    int nlist = header.nlist();
    float[] centroids = new float[nlist * dim];
    MemorySegment.copy(file, IvfFormat.FLOAT, header.centroidsAt(), centroids, 0,
        centroids.length);
    int[] listStart = new int[nlist + 1];
    MemorySegment.copy(file, IvfFormat.INT, header.startsAt(), listStart, 0, listStart.length);
    for (int l = 0; l < nlist; l++) {
      if (listStart[l] > listStart[l + 1]) {
        throw new CorruptSegmentException(path, "list " + l + " ends before it starts");
      }
    }
    if (listStart[0] != 0 || listStart[nlist] != header.count()) {
      throw new CorruptSegmentException(path, "the lists hold positions " + listStart[0] + " to "
          + listStart[nlist] + " of " + header.count());
    }
    int[] rowIds = new int[header.count()];
    MemorySegment.copy(file, IvfFormat.INT, header.rowsAt(), rowIds, 0, rowIds.length);
    return new InvertedLists(header.metric(), dim, centroids, listStart, rowIds);
  }

  private static PqCodebooks codebooks(MemorySegment file, IvfFormat.Header header, Path path)
      throws CorruptSegmentException {
    int dim = header.dim();
    int pqM = header.pqM();
    int[] splits;
    if (header.version() == 1) {
      splits = IvfFormat.version1Splits(dim, pqM);
    } else {
      splits = new int[pqM + 1];
      MemorySegment.copy(file, IvfFormat.INT, header.payloadAt(), splits, 0, splits.length);
    }
    for (int j = 0; j < pqM; j++) {
      if (splits[j] >= splits[j + 1]) {
        throw new CorruptSegmentException(path, "PQ sub-quantizer " + j + " covers dimensions "
            + splits[j] + " to " + splits[j + 1]);
      }
    }
    if (pqM < 1 || splits[0] != 0 || splits[pqM] != dim) {
      throw new CorruptSegmentException(path, "the PQ splits do not cover " + dim
          + " dimensions in " + pqM + " sub-quantizers");
    }
    float[] entries = new float[IvfFormat.CODEBOOK_ENTRIES * dim];
    MemorySegment.copy(file, IvfFormat.FLOAT, header.codebooksAt(), entries, 0, entries.length);
    return new PqCodebooks(splits, entries);
  }
}
