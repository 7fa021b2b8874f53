package org.quiver.sql.copy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.schema.CollectionSchema;

/**
 * Rows of a CSV file (RFC 4180: fields in double quotes may hold the delimiter, quotes doubled
 * and line breaks). The header names the table columns of the fields; without a header the
 * fields are the COPY column list, or all columns in table order. An empty unquoted field is
 * NULL. Values are text here; {@link CopyIn} converts them as INSERT would.
 */
final class CsvReader implements RowReader {
  private final Reader in;
  private final char delimiter;
  private final Path file;
  private final int[] targets;
  private final int width;
  private long line;
  private long rowLine;
  private long position;

  CsvReader(Path file, CollectionSchema schema, List<String> columns, CopyOptions options)
      throws IOException {
    this.file = file;
    this.in = new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), 1 << 16);
    this.delimiter = options.delimiter();
    this.width = schema.size();
    List<String> names = columns;
    line = 1;
    if (options.header()) {
      List<String> header = record();
      if (header == null) {
        throw QuiverException.of(ErrorCode.INVALID_TEXT_REPRESENTATION,
            "%s is empty: expected a header line", file);
      }
      names = columns != null ? columns : header.stream().map(String::strip).toList();
    }
    if (names == null) {
      names = schema.visibleFields().stream().map(f -> f.name()).toList();
    }
    targets = new int[names.size()];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = schema.indexOf(names.get(i));
      if (targets[i] < 0) {
        throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
            "%s: column \"%s\" of the file does not exist in the table", file, names.get(i));
      }
    }
  }

  @Override
  public Object[] next() throws IOException {
    List<String> fields = record();
    while (fields != null && fields.size() == 1 && fields.get(0) == null) {
      fields = record(); // blank line
    }
    if (fields == null) {
      return null;
    }
    if (fields.size() != targets.length) {
      throw QuiverException.of(ErrorCode.INVALID_TEXT_REPRESENTATION,
          "%s, line %d: %d fields, expected %d", file, rowLine, fields.size(), targets.length);
    }
    Object[] row = new Object[width];
    for (int i = 0; i < targets.length; i++) {
      row[targets[i]] = fields.get(i);
    }
    return row;
  }

  /** One record's fields (null for an empty unquoted field), or null at the end of the file. */
  private List<String> record() throws IOException {
    rowLine = line;
    int c = read();
    if (c < 0) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean inQuotes = false;
    while (true) {
      if (inQuotes) {
        if (c < 0) {
          throw QuiverException.of(ErrorCode.INVALID_TEXT_REPRESENTATION,
              "%s, line %d: a quoted field is not closed before the end of the file", file,
              rowLine);
        }
        if (c == '"') {
          int d = read();
          if (d == '"') {
            field.append('"');
          } else {
            inQuotes = false;
            c = d;
            continue;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c == '"' && field.isEmpty() && !quoted) {
        inQuotes = true;
        quoted = true;
      } else if (c == delimiter || c == '\n' || c < 0) {
        fields.add(field.isEmpty() && !quoted ? null : field.toString());
        field.setLength(0);
        quoted = false;
        if (c != delimiter) {
          if (c == '\n') {
            line++;
          }
          return fields;
        }
      } else if (c == '\r') {
        int d = read();
        if (d != '\n') {
          field.append('\r');
        }
        c = d;
        continue;
      } else {
        field.append((char) c);
      }
      c = read();
    }
  }

  private int read() throws IOException {
    int c = in.read();
    if (c >= 0) {
      position += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return c;
  }

  @Override
  public String where() {
    return "line " + rowLine;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
