package org.quiver.storage.index;

import java.io.IOException;
import java.nio.file.Path;
import org.quiver.storage.index.ivf.IvfFormat;

/**
 * One index method's on-disk format: a {@link Writer} that builds the index of a segment's vectors
 * into a folder (its files plus a checksummed {@link org.quiver.storage.segment.SegmentManifest}
 * written last), and a {@link Reader} that verifies the folder and opens it for search,
 * memory-mapped. Every method passes the same contract test.
 */
public interface IndexFormat {
  IndexMethod method();

  Writer writer();

  Reader reader();

  /** Builds and writes the index of {@code count} vectors of {@code dim} floats, row after row. */
  interface Writer {
    void write(Path dir, long segmentId, float[] vectors, int dim, int count, IndexParams params)
        throws IOException;
  }

  /**
   * Opens an index; {@code rows} are the segment's vectors (which methods that re-score or
   * re-rank exactly read). Fails with {@link org.quiver.storage.segment.CorruptSegmentException}
   * when a file does not match the manifest, or the index was built for another metric.
   */
  interface Reader {
    VectorIndex read(Path dir, IndexMetric metric, SegmentVectors rows) throws IOException;
  }

  /** The format of {@code method}; FLAT has none (it is the exact scan). */
  static IndexFormat of(IndexMethod method) {
    return switch (method) {
      case HNSW -> HnswIndex.FORMAT;
      case IVF_FLAT -> IvfFormat.FLAT;
      case IVF_PQ -> IvfFormat.PQ;
      case IVF_SQ8 -> IvfFormat.SQ8;
      case FLAT -> throw new IllegalArgumentException("FLAT is an exact scan and has no files");
    };
  }
}
