package org.quiver.sql.bench;

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
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<float[]> rows = new ArrayList<>();
    while (buf.hasRemaining()) {
      int dim = buf.getInt();
      float[] row = new float[dim];
      buf.asFloatBuffer().get(row);
      buf.position(buf.position() + dim * Float.BYTES);
      rows.add(row);
    }
    return rows.toArray(new float[0][]);
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
