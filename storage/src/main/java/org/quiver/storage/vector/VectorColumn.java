package org.quiver.storage.vector;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * A column of float vectors read in place from a memory-mapped file: the data buffers of the
 * {@code FixedSizeList<Float4>} column of a segment's record batches, one chunk per batch, each
 * holding its rows' floats little-endian and row after row.
 *
 * <p>A view: whoever mapped the file owns the memory, and reading after it is closed fails with
 * {@link IllegalStateException}. Immutable and thread-safe while the mapping is open.
 */
public final class VectorColumn {
  private final int dim;
  private final int rowCount;
  private final MemorySegment[] chunks;
  /** First row of each chunk, ascending, starting at 0. */
  private final int[] starts;

  /**
   * A column of {@code dim}-float vectors over {@code chunks}, where chunk {@code i} holds the
   * rows from {@code starts[i]} to the next start (or {@code rowCount}).
   */
  public VectorColumn(int dim, int rowCount, List<MemorySegment> chunks, int[] starts) {
    if (dim <= 0 || chunks.size() != starts.length) {
      throw new IllegalArgumentException(
          "dim " + dim + ", " + chunks.size() + " chunks for " + starts.length + " starts");
    }
    this.dim = dim;
    this.rowCount = rowCount;
    this.chunks = chunks.toArray(MemorySegment[]::new);
    this.starts = starts.clone();
    for (int i = 0; i < starts.length; i++) {
      int end = i + 1 < starts.length ? starts[i + 1] : rowCount;
      if ((i == 0 ? starts[0] != 0 : starts[i] < starts[i - 1])
          || this.chunks[i].byteSize() < (long) (end - starts[i]) * dim * Float.BYTES) {
        throw new IllegalArgumentException("chunk " + i + " does not hold rows " + starts[i]
            + " to " + end + " of " + dim + " floats");
      }
    }
    if (starts.length == 0 && rowCount != 0) {
      throw new IllegalArgumentException("no chunk for " + rowCount + " rows");
    }
  }

  public int dimension() {
    return dim;
  }

  public int rowCount() {
    return rowCount;
  }

  public int chunkCount() {
    return chunks.length;
  }

  /** The memory of chunk {@code i}: its rows' floats from byte 0. */
  public MemorySegment chunk(int i) {
    return chunks[i];
  }

  /** The first row of chunk {@code i}. */
  public int chunkStart(int i) {
    return starts[i];
  }

  /** The number of rows in chunk {@code i}. */
  public int chunkRows(int i) {
    return (i + 1 < starts.length ? starts[i + 1] : rowCount) - starts[i];
  }

  /** The chunk that holds {@code row}. */
  public int chunkOf(int row) {
    if (row < 0 || row >= rowCount) {
      throw new IndexOutOfBoundsException("row " + row + " of " + rowCount);
    }
    int i = Arrays.binarySearch(starts, row);
    return i >= 0 ? i : -i - 2;
  }

  /** A heap copy of one row's vector. */
  public float[] row(int row) {
    int c = chunkOf(row);
    float[] out = new float[dim];
    MemorySegment.copy(chunks[c], ScalarKernels.FLOAT_LE,
        (long) (row - starts[c]) * dim * Float.BYTES, out, 0, dim);
    return out;
  }
}
