package org.quiver.sql.copy;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Map;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.jdbc.VectorText;
import org.quiver.sql.schema.SqlTypes;

/**
 * Writes a query's rows to a file ({@code COPY ... TO}): CSV with a header (vectors in their
 * text form, quoted), {@code .fvecs} (the result's one VECTOR column), or Parquet (vectors as
 * fixed-size lists of floats). The file appears
 * whole or not at all: rows go to a temporary file beside it, renamed over it at the end.
 */
public final class CopyOut {
  private CopyOut() {}

  public static long export(ResultSet rs, Path file, Map<String, String> optionText,
      Engine engine) throws SQLException {
    CopyOptions options = CopyOptions.parse(optionText, file);
    Path temp = file.resolveSibling(file.getFileName() + ".part");
    long rows;
    try {
      rows = switch (options.format()) {
        case CSV -> csv(rs, temp, options);
        case FVECS -> fvecs(rs, temp);
        case PARQUET -> ParquetFormats.installed().write(rs, engine, temp);
        case NPY -> throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
            "COPY TO with format '%s' is not supported; use csv, fvecs or parquet",
            options.format().name().toLowerCase(java.util.Locale.ROOT));
      };
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return rows;
    } catch (IOException e) {
      throw QuiverException.ofFile("write %s", file, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // Best effort: the temporary file is named after the target and can be removed by hand.
      }
    }
  }

  private static long csv(ResultSet rs, Path file, CopyOptions options)
      throws IOException, SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    char d = options.delimiter();
    long rows = 0;
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8),
        1 << 16)) {
      if (options.header()) {
        for (int c = 1; c <= n; c++) {
          if (c > 1) {
            out.write(d);
          }
          out.write(quote(md.getColumnLabel(c), d));
        }
        out.write('\n');
      }
      while (rs.next()) {
        for (int c = 1; c <= n; c++) {
          if (c > 1) {
            out.write(d);
          }
          Object v = rs.getObject(c);
          if (v != null) {
            String text = v instanceof float[] f ? VectorText.format(f)
                : v instanceof java.sql.Timestamp t ? t.toString() : v.toString();
            out.write(quote(text, d));
          }
        }
        out.write('\n');
        rows++;
      }
    }
    return rows;
  }

  private static String quote(String text, char delimiter) {
    if (text.isEmpty() || text.indexOf(delimiter) >= 0 || text.indexOf('"') >= 0
        || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }

  private static long fvecs(ResultSet rs, Path file) throws IOException, SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int column = -1;
    for (int c = 1; c <= md.getColumnCount(); c++) {
      if (org.quiver.jdbc.VectorText.isVectorTypeName(md.getColumnTypeName(c))) {
        if (column > 0) {
          throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
              "COPY TO an .fvecs file needs a result with one VECTOR column, not several");
        }
        column = c;
      }
    }
    if (column < 0) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "COPY TO an .fvecs file needs a result with one VECTOR column");
    }
    long rows = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      ByteBuffer buf = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
      while (rs.next()) {
        Object v = rs.getObject(column);
        if (v == null) {
          throw QuiverException.of(ErrorCode.NOT_NULL_VIOLATION,
              "row %d has a NULL in column \"%s\", which an .fvecs file cannot hold; "
                  + "leave such rows out with WHERE %s IS NOT NULL", rows + 1,
              md.getColumnLabel(column), md.getColumnLabel(column));
        }
        float[] f = v instanceof float[] a ? a
            : v instanceof org.quiver.jdbc.VectorValue vector ? vector.elements()
            : VectorText.parse(v.toString());
        int size = Integer.BYTES + f.length * Float.BYTES;
        if (buf.capacity() < size) {
          buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }
        buf.clear();
        buf.putInt(f.length);
        buf.asFloatBuffer().put(f);
        out.write(buf.array(), 0, size);
        rows++;
      }
    }
    return rows;
  }
}
