package org.quiver.storage.vector;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * A column of vectors read in place from a memory-mapped file: the data buffers of the
 * {@code FixedSizeList} column of a segment's record batches, one chunk per batch, each holding
 * its rows' elements little-endian and row after row. An element is a float32 (4 bytes) or, for a
 * float16 column, a float16 (2 bytes, see {@link HalfFloats}); the distance kernels read float32
 * chunks in place, while a reader of float16 chunks decodes a row into floats first.
 *
 * <p>A view: whoever mapped the file owns the memory, and reading after it is closed fails with
 * {@link IllegalStateException}. Immutable and thread-safe while the mapping is open.
 */
public final class VectorColumn {
  private final int dim;
  private final int elementBytes;
  private final int rowCount;
  private final MemorySegment[] chunks;
  /** First row of each chunk, ascending, starting at 0. */
  private final int[] starts;

  /**
   * A column of {@code dim}-element vectors of {@code elementBytes} each ({@link Float#BYTES} or
   * {@link Short#BYTES}) over {@code chunks}, where chunk {@code i} holds the rows from
   * {@code starts[i]} to the next start (or {@code rowCount}).
   */
  public VectorColumn(int dim, int elementBytes, int rowCount, List<MemorySegment> chunks,
      int[] starts) {
    if (dim <= 0 || chunks.size() != starts.length) {
      throw new IllegalArgumentException(
          "dim " + dim + ", " + chunks.size() + " chunks for " + starts.length + " starts");
    }
    if (elementBytes != Float.BYTES && elementBytes != Short.BYTES) {
      throw new IllegalArgumentException("elements of " + elementBytes + " bytes");
    }
    this.dim = dim;
    this.elementBytes = elementBytes;
    this.rowCount = rowCount;
    this.chunks = chunks.toArray(MemorySegment[]::new);
    this.starts = starts.clone();
    for (int i = 0; i < starts.length; i++) {
      int end = i + 1 < starts.length ? starts[i + 1] : rowCount;
      if ((i == 0 ? starts[0] != 0 : starts[i] < starts[i - 1])
          || this.chunks[i].byteSize() < (long) (end - starts[i]) * rowBytes()) {
        throw new IllegalArgumentException("chunk " + i + " does not hold rows " + starts[i]
            + " to " + end + " of " + dim + " elements of " + elementBytes + " bytes");
      }
    }
    if (starts.length == 0 && rowCount != 0) {
      throw new IllegalArgumentException("no chunk for " + rowCount + " rows");
    }
  }

  public int dimension() {
    return dim;
  }

  /** The bytes of one element: {@link Float#BYTES}, or {@link Short#BYTES} for float16. */
  public int elementBytes() {
    return elementBytes;
  }

  /** Whether the elements are float16, which the float32 kernels cannot read in place. */
  public boolean isFloat16() {
    return elementBytes == Short.BYTES;
  }

  /** The bytes of one row: the stride between rows within a chunk. */
  public long rowBytes() {
    return (long) dim * elementBytes;
  }

  public int rowCount() {
    return rowCount;
  }

  public int chunkCount() {
    return chunks.length;
  }

  /** The memory of chunk {@code i}: its rows' elements from byte 0. */
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

  /** Copies the vector of {@code row} into {@code out} from {@code at}, as floats. */
  public void copyRow(int row, float[] out, int at) {
    int c = chunkOf(row);
    long offset = (row - starts[c]) * rowBytes();
    if (isFloat16()) {
      HalfFloats.decode(chunks[c], offset, out, at, dim);
    } else {
      MemorySegment.copy(chunks[c], ScalarKernels.FLOAT_LE, offset, out, at, dim);
    }
  }

  /** Copies every row into {@code out}, row after row, as floats. */
  public void copyAll(float[] out) {
    for (int c = 0; c < chunks.length; c++) {
      int at = starts[c] * dim;
      int count = chunkRows(c) * dim;
      if (isFloat16()) {
        HalfFloats.decode(chunks[c], 0, out, at, count);
      } else {
        MemorySegment.copy(chunks[c], ScalarKernels.FLOAT_LE, 0, out, at, count);
      }
    }
  }

  /** A heap copy of one row's vector. */
  public float[] row(int row) {
    float[] out = new float[dim];
    copyRow(row, out, 0);
    return out;
  }
}
