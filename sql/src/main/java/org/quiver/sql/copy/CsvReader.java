package org.quiver.sql.copy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.apache.commons.io.input.BoundedInputStream;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.schema.CollectionSchema;

/**
 * Rows of a CSV file (RFC 4180: fields in double quotes may hold the delimiter, quotes doubled
 * and line breaks), read by Apache Commons CSV. The header names the table columns of the fields;
 * without a header the fields are the COPY column list, or all columns in table order. An empty
 * unquoted field is NULL, an empty quoted one ({@code ""}) the empty string; blank lines are
 * skipped. Values are text here; {@link CopyIn} converts them as INSERT would.
 */
final class CsvReader implements RowReader {
  private final Path file;
  /** The file's bytes read so far (ahead of the parser by at most one buffer), for progress. */
  private final BoundedInputStream bytes;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final int[] targets;
  private final int width;
  /** The line the record last returned starts on. */
  private long rowLine;

  CsvReader(Path file, CollectionSchema schema, List<String> columns, CopyOptions options)
      throws IOException {
    this.file = file;
    this.bytes = BoundedInputStream.builder().setInputStream(Files.newInputStream(file)).get();
    CSVFormat format = CSVFormat.RFC4180.builder()
        .setDelimiter(options.delimiter())
        // Unquoted empty fields are NULL; quoted ones stay empty strings (strict quote mode).
        .setNullString("")
        .setQuoteMode(QuoteMode.ALL_NON_NULL)
        // Blank lines come back as records of one null field, skipped in record(), so that the
        // parser's line count stays the file's.
        .setIgnoreEmptyLines(false)
        .get();
    this.parser = CSVParser.builder().setFormat(format).setReader(new BufferedReader(
        new InputStreamReader(bytes, StandardCharsets.UTF_8), 1 << 16)).get();
    this.records = parser.iterator();
    this.width = schema.size();
    List<String> names = columns;
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

  /** The next non-blank record's fields (null for NULL), or null at the end of the file. */
  private List<String> record() {
    try {
      while (true) {
        rowLine = parser.getCurrentLineNumber() + 1;
        if (!records.hasNext()) {
          return null;
        }
        CSVRecord record = records.next();
        if (record.size() != 1 || record.get(0) != null) {
          return record.toList();
        }
      }
    } catch (UncheckedIOException e) {
      throw QuiverException.of(ErrorCode.INVALID_TEXT_REPRESENTATION, "%s, line %d: %s", file,
          rowLine, e.getCause().getMessage());
    }
  }

  @Override
  public String where() {
    return "line " + rowLine;
  }

  @Override
  public long position() {
    return bytes.getCount();
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
