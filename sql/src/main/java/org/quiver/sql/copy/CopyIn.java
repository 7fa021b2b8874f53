package org.quiver.sql.copy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.schema.ClientRows;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Loads a file into a table ({@code COPY t FROM 'file'}, {@code quiver import}): rows are
 * converted and checked as INSERT checks them, written {@code batch_rows} at a time as durable
 * insert tasks, and all of them are deleted again if the load fails ({@link BulkLoad}). With
 * {@code on_error = 'skip'}, rows whose values are bad (type, range, dimension, NULL in a NOT
 * NULL column) are skipped and reported instead; errors of the write itself (a duplicate key)
 * still fail the whole load.
 */
public final class CopyIn {
  /** Messages of skipped rows kept for the report. */
  public static final int REPORTED_SKIPS = 10;

  private CopyIn() {}

  /** What a load did. */
  public record Result(long rows, long skipped, List<String> skippedRows) {}

  /** Told after every batch written. */
  public interface Progress {
    void update(long rows, long bytesRead, long bytesTotal);
  }

  public static Result load(Engine engine, String table, List<String> columns, Path file,
      Map<String, String> optionText, Progress progress) {
    CopyOptions options = CopyOptions.parse(optionText, file);
    BulkLoad load = new BulkLoad(engine, table);
    CollectionSchema schema = load.schema();
    long total;
    try {
      total = Files.size(file);
    } catch (IOException e) {
      throw QuiverException.ofFile("open file %s for reading", file, e);
    }
    if (Files.isDirectory(file)) {
      throw QuiverException.of(ErrorCode.WRONG_OBJECT_TYPE,
          "could not open file \"%s\" for reading: it is a folder, not a file", file);
    }
    if (!Files.isRegularFile(file)) {
      // A device or a pipe could be read forever.
      throw QuiverException.of(ErrorCode.WRONG_OBJECT_TYPE,
          "could not open file \"%s\" for reading: it is not a regular file", file);
    }
    if (options.format() == CopyOptions.Format.PARQUET) {
      return loadParquet(load, file, columns, options, progress);
    }
    List<String> skippedRows = new ArrayList<>();
    long skipped = 0;
    try (RowReader reader = open(file, schema, columns, options)) {
      ClientRows rows = ClientRows.inTableOrder(schema, options.batchRows());
      while (true) {
        Object[] raw;
        try {
          raw = reader.next();
        } catch (QuiverException badRecord) {
          // A record the reader could not split (CSV: wrong number of fields).
          if (!options.skipBadRows()) {
            throw badRecord;
          }
          skipped++;
          if (skippedRows.size() < REPORTED_SKIPS) {
            skippedRows.add(badRecord.getMessage());
          }
          continue;
        }
        if (raw != null) {
          try {
            rows.addConverted(convert(rows, schema, raw, file, reader.where()));
          } catch (QuiverException bad) {
            if (!options.skipBadRows()) {
              throw bad;
            }
            skipped++;
            if (skippedRows.size() < REPORTED_SKIPS) {
              skippedRows.add(bad.getMessage());
            }
          }
        }
        if (rows.rowCount() == options.batchRows() || (raw == null && rows.rowCount() > 0)) {
          load.insert(rows.drain());
          if (progress != null) {
            progress.update(load.rows(), reader.position(), total);
          }
        }
        if (raw == null) {
          break;
        }
      }
      return new Result(load.commit(), skipped, List.copyOf(skippedRows));
    } catch (IOException e) {
      load.abort();
      throw QuiverException.ofFile("read %s", file, e);
    } catch (RuntimeException e) {
      load.abort();
      throw e;
    }
  }

  /**
   * Parquet columns are typed, so a row with a bad value fails its whole batch: on_error = 'skip'
   * is refused rather than ignored.
   */
  private static Result loadParquet(BulkLoad load, Path file, List<String> columns,
      CopyOptions options, Progress progress) {
    if (options.skipBadRows()) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "on_error = 'skip' is not supported for Parquet files");
    }
    try {
      ParquetFormats.installed().load(load, file, columns, options.batchRows(), progress);
      return new Result(load.commit(), 0, List.of());
    } catch (IOException e) {
      load.abort();
      throw QuiverException.ofFile("read %s", file, e);
    } catch (RuntimeException e) {
      load.abort();
      throw e;
    }
  }

  private static RowReader open(Path file, CollectionSchema schema, List<String> columns,
      CopyOptions options) throws IOException {
    return switch (options.format()) {
      case CSV -> new CsvReader(file, schema, columns, options);
      case FVECS -> VectorFileReader.fvecs(file, schema, vectorColumn(schema, columns, file),
          idStart(schema, options));
      case NPY -> VectorFileReader.npy(file, schema, vectorColumn(schema, columns, file),
          idStart(schema, options));
      case PARQUET -> throw new IllegalStateException("checked before");
    };
  }

  private static long idStart(CollectionSchema schema, CopyOptions options) {
    if (schema.primaryKey().type() != DataType.INT64) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "vector files carry no ids: the primary key \"%s\" must be BIGINT to get generated "
              + "ids (from id_start)", schema.primaryKey().name());
    }
    return options.idStart();
  }

  /** The vector column a vector file fills: the one named, or the table's only one. */
  private static int vectorColumn(CollectionSchema schema, List<String> columns, Path file) {
    List<FieldSchema> candidates = schema.fields().stream().filter(FieldSchema::isVector)
        .filter(f -> columns == null || columns.contains(f.name())).toList();
    if (candidates.size() != 1) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "%s holds vectors only: name the one vector column to fill, as COPY t (column) FROM "
              + "(the table has %d candidates)", file, candidates.size());
    }
    return schema.indexOf(candidates.get(0).name());
  }

  /**
   * One row in the engine's types. A value that does not convert fails with its data exception
   * (SQLSTATE class 22), a null in a NOT NULL or vector column with 23502; both name the file, the
   * row and the column.
   */
  private static Object[] convert(ClientRows rows, CollectionSchema schema, Object[] raw,
      Path file, String where) {
    Object[] row = new Object[raw.length];
    for (int c = 0; c < raw.length; c++) {
      FieldSchema f = schema.fields().get(c);
      try {
        row[c] = rows.convert(c, raw, 1);
      } catch (QuiverException e) {
        throw new QuiverException(e.code(), file + ", " + where + ", column \"" + f.name()
            + "\": " + e.getMessage().replace(" (row 1)", "")
            .replace(" (column \"" + f.name() + "\", row 1)", ""));
      }
      if (row[c] == null && !f.nullable() && !f.autoId()) {
        throw QuiverException.of(ErrorCode.NOT_NULL_VIOLATION,
            "%s, %s, column \"%s\": null value in a NOT NULL column", file, where, f.name());
      }
    }
    return row;
  }
}
