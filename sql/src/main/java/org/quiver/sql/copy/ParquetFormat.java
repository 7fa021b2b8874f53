package org.quiver.sql.copy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.quiver.engine.api.Engine;

/**
 * COPY's Parquet files. Reading and writing Parquet takes Arrow's dataset library, a JNI wrapper
 * with a native library of its own, so it lives in the {@code quiver-parquet} module, found here
 * through {@code ServiceLoader} ({@link ParquetFormats}); the embeddable library carries none of it. The server and the
 * command line bring the module; an embedding application adds it to read or write Parquet.
 */
public interface ParquetFormat {
  /** Loads every row of {@code file}; the columns named (or all) must be table columns. */
  void load(BulkLoad load, Path file, List<String> columns, int batchRows,
      CopyIn.Progress progress) throws IOException;

  /** Writes the rows of {@code rs} to {@code target} as one Parquet file; returns the row count. */
  long write(ResultSet rs, Engine engine, Path target) throws IOException, SQLException;
}
