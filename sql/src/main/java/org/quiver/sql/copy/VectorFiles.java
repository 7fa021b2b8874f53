package org.quiver.sql.copy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Readers for the TEXMEX vector formats ({@code .fvecs}, {@code .ivecs}: each row a little-endian
 * int32 dimension followed by that many float32 or int32 values), and the lookup of the shared
 * benchmark datasets.
 */
public final class VectorFiles {
  private VectorFiles() {}

  public static float[][] readFvecs(Path file) throws IOException {
    List<float[]> rows = new ArrayList<>();
    try (FvecsReader reader = new FvecsReader(file)) {
      for (float[] row = reader.next(); row != null; row = reader.next()) {
        rows.add(row);
      }
    }
    return rows.toArray(new float[0][]);
  }

  /** Reads an {@code .fvecs} file one vector at a time, for files larger than memory. */
  public static final class FvecsReader implements java.io.Closeable {
    private final java.io.DataInputStream in;
    private final byte[] header = new byte[Integer.BYTES];
    private long position;
    private long count;

    public FvecsReader(Path file) throws IOException {
      in = new java.io.DataInputStream(new java.io.BufferedInputStream(
          Files.newInputStream(file), 1 << 16));
    }

    /** The next vector, or null at the end of the file. */
    public float[] next() throws IOException {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      header[0] = (byte) first;
      in.readFully(header, 1, 3);
      int dim = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (dim < 1 || dim > 1 << 20) {
        throw new java.io.EOFException("vector " + (count + 1) + " at byte " + position
            + " declares " + dim + " dimensions: not an .fvecs file, or a damaged one");
      }
      byte[] body = new byte[dim * Float.BYTES];
      try {
        in.readFully(body);
      } catch (java.io.EOFException e) {
        throw new java.io.EOFException("vector " + (count + 1) + " at byte " + position
            + " is cut short: the file ends inside it");
      }
      float[] row = new float[dim];
      ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(row);
      position += Integer.BYTES + body.length;
      count++;
      return row;
    }

    /** Bytes read so far. */
    public long position() {
      return position;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  public static int[][] readIvecs(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<int[]> rows = new ArrayList<>();
    while (buf.hasRemaining()) {
      int dim = buf.getInt();
      int[] row = new int[dim];
      buf.asIntBuffer().get(row);
      buf.position(buf.position() + dim * Integer.BYTES);
      rows.add(row);
    }
    return rows.toArray(new int[0][]);
  }

  /**
   * The folder of a shared dataset: under {@code -Dquiver.datasets} if set, else under a
   * {@code shared/datasets} folder beside this checkout or one of its parents.
   */
  public static Optional<Path> dataset(String name) {
    String configured = System.getProperty("quiver.datasets");
    if (configured != null) {
      Path p = Path.of(configured, name);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("shared").resolve("datasets").resolve(name);
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
