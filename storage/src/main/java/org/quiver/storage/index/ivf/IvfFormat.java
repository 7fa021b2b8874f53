package org.quiver.storage.index.ivf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.quiver.storage.index.IndexFormat;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.SegmentManifest;

/**
 * The on-disk layout of the IVF indexes, in one place: one file {@value #FILE} per segment and
 * index, little-endian, listed with its size and CRC32C in the folder's
 * {@link org.quiver.storage.segment.SegmentManifest} (written last, verified before the file is
 * parsed).
 *
 * <pre>
 * header     8 x int32: magic "QIVF", version, method number, metric number, dim, count, nlist, pqM
 *            (count: the segment's rows whose vector is not NULL, nor all zeros by cosine,
 *            which alone the lists hold;
 *            pqM: bytes per code, 0 for IVF_FLAT)
 * centroids  nlist * dim float32
 * starts     nlist + 1 int32: list l holds the positions [starts[l], starts[l + 1])
 * rows       count int32: the segment row at each position, in list order
 * IVF_FLAT:
 *   vectors  count * dim float32, in list order (the original vectors, also for cosine)
 * IVF_PQ:
 *   splits   pqM + 1 int32 (version 2 on): sub-quantizer j covers dimensions [splits[j], splits[j + 1]);
 *            version 1 has no such section and splits[j] = j * dim / pqM
 *   codebooks 256 * dim float32: entry e of sub-quantizer j at 256 * splits[j] + e * (its width)
 *   codes    count * pqM bytes, in list order: per position, one entry number per sub-quantizer
 * IVF_SQ8:
 *   lows     dim float32: each dimension's smallest value
 *   steps    dim float32: each dimension's (largest - smallest) / 255
 *   codes    count * dim bytes, in list order: round((x - low) / step) per dimension, 0 to 255
 * </pre>
 *
 * <p>An IVF_PQ code is the product quantization of the residual between the row (normalised, for
 * cosine) and its list's centroid. Version 2 records the splits because the quantizer that trains
 * the codebooks chooses them; version 1 files, whose splits the formula gives, are still read.
 * IVF_SQ8 codes the row itself (normalised, for cosine), not its residual.
 */
public final class IvfFormat {
  public static final String FILE = "ivf.bin";
  /** The version this code writes. */
  public static final int VERSION = 2;
  /** The oldest version this code reads. */
  static final int OLDEST_READABLE = 1;
  /** Entries per PQ codebook: a code byte names one. */
  static final int CODEBOOK_ENTRIES = 256;
  static final int HEADER_BYTES = 8 * Integer.BYTES;
  private static final int MAGIC = 0x46564951; // "QIVF" read little-endian

  static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  /** IVF_FLAT's format. */
  public static final IndexFormat FLAT = of(IndexMethod.IVF_FLAT);
  /** IVF_PQ's format. */
  public static final IndexFormat PQ = of(IndexMethod.IVF_PQ);
  /** IVF_SQ8's format. */
  public static final IndexFormat SQ8 = of(IndexMethod.IVF_SQ8);

  private IvfFormat() {}

  private static IndexFormat of(IndexMethod method) {
    return new IndexFormat() {
      @Override
      public IndexMethod method() {
        return method;
      }

      @Override
      public Writer writer() {
        return (dir, segmentId, vectors, dim, count, params) ->
            IvfWriter.write(method, dir, segmentId, vectors, dim, count, params);
      }

      @Override
      public Reader reader() {
        return (dir, metric, rows) -> IvfReader.read(method, dir, metric, rows);
      }
    };
  }

  /**
   * The header of one file.
   *
   * @param pqM bytes per code (IVF_PQ), 0 for IVF_FLAT
   */
  record Header(int version, IndexMethod method, IndexMetric metric, int dim, int count,
      int nlist, int pqM) {

    ByteBuffer encode() {
      return ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(MAGIC).putInt(version).putInt(method.number()).putInt(metric.number())
          .putInt(dim).putInt(count).putInt(nlist).putInt(pqM).flip();
    }

    /**
     * The header at the start of {@code file}, checked against what the caller expects: the
     * magic, a readable version, the method and metric, and a size that matches the sections
     * the header implies.
     */
    static Header decode(MemorySegment file, Path path, IndexMethod method, IndexMetric metric)
        throws CorruptSegmentException {
      if (file.byteSize() < HEADER_BYTES || file.get(INT, 0) != MAGIC) {
        throw new CorruptSegmentException(path, "not an IVF index file");
      }
      int version = file.get(INT, 4);
      if (version < OLDEST_READABLE || version > VERSION) {
        throw new CorruptSegmentException(path, "IVF index format version " + version
            + " is not supported (this build reads " + OLDEST_READABLE + " to " + VERSION + ")");
      }
      int methodNumber = file.get(INT, 8);
      int metricNumber = file.get(INT, 12);
      if (methodNumber != method.number() || metricNumber != metric.number()) {
        throw new CorruptSegmentException(path, "the file holds method number " + methodNumber
            + ", metric number " + metricNumber + "; expected " + method + " with " + metric);
      }
      Header header = new Header(version, method, metric, file.get(INT, 16), file.get(INT, 20),
          file.get(INT, 24), file.get(INT, 28));
      if (header.dim < 1 || header.count < 0 || header.nlist < 1 || header.pqM < 0
          || header.fileBytes() != file.byteSize()) {
        throw new CorruptSegmentException(path, "the file has " + file.byteSize()
            + " bytes where its header (" + header + ") implies " + header.fileBytes());
      }
      return header;
    }

    long centroidsAt() {
      return HEADER_BYTES;
    }

    long startsAt() {
      return centroidsAt() + (long) nlist * dim * Float.BYTES;
    }

    long rowsAt() {
      return startsAt() + (long) (nlist + 1) * Integer.BYTES;
    }

    /** Where the method's own sections begin: the vectors, or the PQ splits (codebooks in v1). */
    long payloadAt() {
      return rowsAt() + (long) count * Integer.BYTES;
    }

    long splitsBytes() {
      return version >= 2 ? (long) (pqM + 1) * Integer.BYTES : 0;
    }

    long codebooksAt() {
      return payloadAt() + splitsBytes();
    }

    long codesAt() {
      return codebooksAt() + (long) CODEBOOK_ENTRIES * dim * Float.BYTES;
    }

    /** IVF_SQ8: where the codes begin, after the lows and steps. */
    long scalarCodesAt() {
      return payloadAt() + 2L * dim * Float.BYTES;
    }

    long fileBytes() {
      return switch (method) {
        case IVF_FLAT -> payloadAt() + (long) count * dim * Float.BYTES;
        case IVF_SQ8 -> scalarCodesAt() + (long) count * dim;
        default -> codesAt() + (long) count * pqM;
      };
    }
  }

  /**
   * Lists the finished file in the folder's manifest with its size and CRC32C: the last step of a
   * write, so a folder without it holds no index.
   */
  static void writeManifest(Path dir, long segmentId, int count) throws IOException {
    new SegmentManifest(segmentId, count, 0, 0, List.of(FileInfo.of(dir, FILE))).write(dir);
  }

  /**
   * The folder's index file, once the manifest is read and the file's size and CRC32C match it.
   */
  static Path verifiedFile(Path dir) throws IOException {
    SegmentManifest manifest = SegmentManifest.read(dir);
    if (manifest.file(FILE).isEmpty()) {
      throw new CorruptSegmentException(dir.resolve(SegmentManifest.FILE_NAME),
          "the index manifest lists no " + FILE);
    }
    return dir.resolve(FILE);
  }

  /** The splits of a version 1 file: sub-quantizer j covers {@code [j * dim / pqM, (j + 1) * dim / pqM)}. */
  static int[] version1Splits(int dim, int pqM) {
    int[] s = new int[pqM + 1];
    for (int j = 0; j <= pqM; j++) {
      s[j] = (int) ((long) j * dim / pqM);
    }
    return s;
  }
}
