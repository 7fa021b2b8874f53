package org.quiver.sql.copy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.arrow.dataset.file.DatasetFileWriter;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.dataset.source.DatasetFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.proxy.Proxy;
import org.quiver.sql.flight.ResultSetArrowReader;

/**
 * Parquet through Arrow's dataset library ({@code arrow-dataset}, a JNI wrapper of Arrow C++ that
 * bundles its native library; no Hadoop). Reading yields Arrow batches, which become insert tasks
 * as Flight SQL bulk ingest's do ({@link ArrowBatches}); writing takes a query's rows as Arrow
 * batches ({@link ResultSetArrowReader}).
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** Loads every row of {@code file}; the columns named (or all) must be table columns. */
  static void load(BulkLoad load, Path file, List<String> columns, int batchRows,
      CopyIn.Progress progress) throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        DatasetFactory factory = new FileSystemDatasetFactory(allocator,
            NativeMemoryPool.getDefault(), FileFormat.PARQUET, file.toUri().toString());
        Dataset dataset = factory.finish();
        Scanner scanner = dataset.newScan(new ScanOptions(batchRows,
            Optional.ofNullable(columns == null ? null : columns.toArray(new String[0]))));
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        load.insert(ArrowBatches.toColumns(load.table(), load.schema(),
            reader.getVectorSchemaRoot(), load.rows() + 1));
        if (progress != null) {
          progress.update(load.rows(), -1, -1);
        }
      }
    } catch (RuntimeException e) {
      if (e instanceof QuiverException) {
        throw e;
      }
      throw new QuiverException(ErrorCode.INVALID_TEXT_REPRESENTATION,
          "cannot read " + file + " as Parquet: " + e.getMessage(), e);
    } catch (Exception e) {
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * The allocator of every Parquet write, never closed: the native dataset writer does not always
   * hand back every buffer by the time {@code DatasetFileWriter.write} returns (apache/arrow-java
   * issue 1255), and closing a per-write allocator then failed a finished COPY now and then with
   * "Memory was leaked by query". One shared allocator keeps such buffers accounted for instead.
   */
  private static final BufferAllocator WRITE_ALLOCATOR = new RootAllocator();

  /** Writes the rows of {@code rs} to {@code target} as one Parquet file. */
  static long write(ResultSet rs, Proxy proxy, Path target) throws IOException, SQLException {
    Path staging = Files.createTempDirectory(target.toAbsolutePath().getParent(),
        "." + target.getFileName() + ".");
    try (ResultSetArrowReader reader = new ResultSetArrowReader(WRITE_ALLOCATOR, rs, proxy)) {
      DatasetFileWriter.write(WRITE_ALLOCATOR, reader, FileFormat.PARQUET,
          staging.toUri().toString(), new String[0], 1, "part-{i}");
      List<Path> parts;
      try (Stream<Path> files = Files.list(staging)) {
        parts = files.toList();
      }
      if (parts.size() != 1) {
        throw new IOException("the Parquet writer made " + parts.size() + " files, expected 1");
      }
      Files.move(parts.get(0), target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return reader.rows();
    } finally {
      try (Stream<Path> left = Files.walk(staging)) {
        left.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
