package org.quiver.storage.column;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.vector.BitKernels;

/**
 * A column of {@link DataType#BINARY_VECTOR} values: bit strings of one length, held on the heap
 * as one flat byte array, {@link #bytesPerRow()} bytes a row, the bits packed most significant
 * first (bit 0 of a string is the high bit of its first byte) and the unused low bits of a row's
 * last byte zero. NULL rows are marked in a bitmap, as in the scalar columns; their bytes are zero
 * and never read as a value.
 */
public final class BinaryVectorColumn implements Column {
  private final int bits;
  private final int bytesPerRow;
  private final int size;
  private final byte[] data;
  /** Set bits are NULL rows; cloned in, never changed afterwards. */
  private final BitSet nulls;

  /**
   * A column of the {@code bits}-bit strings in {@code data}, NULL where {@code nulls} has a bit
   * set; takes {@code data} over, so the caller must not change it afterwards. Fails if the array
   * does not hold whole rows or a row has a bit set past its length.
   */
  public BinaryVectorColumn(int bits, byte[] data, BitSet nulls) {
    if (bits < 1) {
      throw new IllegalArgumentException("a bit string has at least one bit, got " + bits);
    }
    this.bits = bits;
    this.bytesPerRow = DataType.bitBytes(bits);
    if (data.length % bytesPerRow != 0) {
      throw new IllegalArgumentException(
          data.length + " bytes do not make bit strings of " + bits + " bits");
    }
    this.size = data.length / bytesPerRow;
    if (nulls.length() > size) {
      throw new IllegalArgumentException(
          "row " + (nulls.length() - 1) + " marked NULL in a column of " + size + " rows");
    }
    int unused = padMask(bits);
    if (unused != 0) {
      for (int r = 0; r < size; r++) {
        if ((data[(r + 1) * bytesPerRow - 1] & unused) != 0) {
          throw new IllegalArgumentException("row " + r + " has bits set past its length of "
              + bits + " bits");
        }
      }
    }
    this.data = data;
    this.nulls = (BitSet) nulls.clone();
  }

  /**
   * The bits of a last byte that lie past a string of {@code bits} bits: those that must be zero.
   */
  public static int padMask(int bits) {
    int used = bits & 7;
    return used == 0 ? 0 : 0xFF >>> used;
  }

  @Override
  public DataType type() {
    return DataType.BINARY_VECTOR;
  }

  /** The number of bits of each value. */
  public int bits() {
    return bits;
  }

  /** The bytes of each value: {@code ceil(bits / 8)}. */
  public int bytesPerRow() {
    return bytesPerRow;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isNull(int row) {
    return nulls.get(Objects.checkIndex(row, size));
  }

  @Override
  public boolean hasNulls() {
    return !nulls.isEmpty();
  }

  /** A copy of the bytes of {@code row}, or null for NULL. */
  @Override
  public byte[] get(int row) {
    if (isNull(row)) {
      return null;
    }
    return Arrays.copyOfRange(data, row * bytesPerRow, (row + 1) * bytesPerRow);
  }

  /** Copies the bytes of {@code row} (zeros for NULL) into {@code out} from {@code at}. */
  public void copyRow(int row, byte[] out, int at) {
    System.arraycopy(data, Objects.checkIndex(row, size) * bytesPerRow, out, at, bytesPerRow);
  }

  /**
   * The Hamming distance from {@code row} to the bit string {@code q} of as many bits, read
   * where the row lies (no copy); a NULL row reads as zeros.
   */
  public int hamming(int row, byte[] q) {
    return BitKernels.hamming(data, Objects.checkIndex(row, size) * bytesPerRow, q, 0,
        bytesPerRow);
  }

  /** The Hamming distance between rows {@code a} and {@code b}. */
  public int hamming(int a, int b) {
    return BitKernels.hamming(data, Objects.checkIndex(a, size) * bytesPerRow, data,
        Objects.checkIndex(b, size) * bytesPerRow, bytesPerRow);
  }

  /** The Jaccard distance from {@code row} to {@code q}, as {@link BitKernels#jaccard}. */
  public double jaccard(int row, byte[] q) {
    return BitKernels.jaccard(data, Objects.checkIndex(row, size) * bytesPerRow, q, 0,
        bytesPerRow);
  }

  /** The Jaccard distance between rows {@code a} and {@code b}. */
  public double jaccard(int a, int b) {
    return BitKernels.jaccard(data, Objects.checkIndex(a, size) * bytesPerRow, data,
        Objects.checkIndex(b, size) * bytesPerRow, bytesPerRow);
  }

  @Override
  public BinaryVectorColumn select(int[] rows) {
    byte[] out = new byte[rows.length * bytesPerRow];
    BitSet selectedNulls = new BitSet();
    for (int i = 0; i < rows.length; i++) {
      copyRow(rows[i], out, i * bytesPerRow);
      if (nulls.get(rows[i])) {
        selectedNulls.set(i);
      }
    }
    return new BinaryVectorColumn(bits, out, selectedNulls);
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  byte[] flat() {
    return data;
  }

  /** The NULL bitmap, shared: for bulk copies inside this package only. */
  BitSet nullBitmap() {
    return nulls;
  }
}
