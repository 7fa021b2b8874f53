package org.quiver.storage.vector;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * How the engine holds a NULL vector: a row of NaN floats in a flat vector column.
 *
 * <p>No vector value holds a NaN (every way in refuses one, as pgvector does), so NaN is free to
 * mark a missing vector. The mark lets NULL travel unchanged through the flat {@code float[]} of a
 * batch, the log's raw elements and the data buffer of a mapped segment, with no bitmap beside
 * them (a float16 column holds float16 NaN there, 0x7E00, which decodes to NaN); a segment
 * file's Arrow validity bit says the same for readers other than the engine. A distance to a NaN
 * row is NaN, which no search keeps ({@code NaN < x} is false), but index builds and result rows
 * test for the mark explicitly.
 */
public final class NullVectors {
  private NullVectors() {}

  /** Whether row {@code row} of a flat column of {@code dim}-float vectors is NULL. */
  public static boolean isNull(float[] flat, int row, int dim) {
    return Float.isNaN(flat[row * dim]);
  }

  /**
   * Whether row {@code row} of a mapped column is NULL: its first element is NaN, a float16 NaN
   * in a float16 column.
   */
  public static boolean isNull(VectorColumn column, int row) {
    int c = column.chunkOf(row);
    MemorySegment chunk = column.chunk(c);
    long offset = (row - column.chunkStart(c)) * column.rowBytes();
    return column.isFloat16() ? HalfFloats.isNaN(chunk, offset)
        : Float.isNaN(chunk.get(ScalarKernels.FLOAT_LE, offset));
  }

  /** Marks row {@code row} of a flat column of {@code dim}-float vectors NULL. */
  public static void set(float[] flat, int row, int dim) {
    Arrays.fill(flat, row * dim, (row + 1) * dim, Float.NaN);
  }

  /** The rows among the first {@code count} of a flat column whose vector is not NULL, ascending. */
  public static int[] presentRows(float[] flat, int dim, int count) {
    int[] rows = new int[count];
    int n = 0;
    for (int r = 0; r < count; r++) {
      if (!isNull(flat, r, dim)) {
        rows[n++] = r;
      }
    }
    return n == count ? rows : Arrays.copyOf(rows, n);
  }

  /** The vectors of {@code rows} of a flat column, one after another. */
  public static float[] gather(float[] flat, int dim, int[] rows) {
    float[] out = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(flat, rows[i] * dim, out, i * dim, dim);
    }
    return out;
  }

  /** The index of the first NaN in {@code vector}, or -1: a value no column may hold. */
  public static int firstNaN(float[] vector) {
    for (int i = 0; i < vector.length; i++) {
      if (Float.isNaN(vector[i])) {
        return i;
      }
    }
    return -1;
  }
}
