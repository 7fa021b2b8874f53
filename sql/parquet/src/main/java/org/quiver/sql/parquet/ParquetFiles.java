package org.quiver.sql.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.arrow.ArrowBatches;
import org.quiver.sql.arrow.ResultSetArrowReader;
import org.quiver.sql.copy.BulkLoad;
import org.quiver.sql.copy.CopyIn;
import org.quiver.sql.copy.ParquetFormat;
import org.quiver.storage.FileTrees;

/**
 * COPY's Parquet files through Arrow's dataset library ({@code arrow-dataset}, a JNI wrapper of Arrow C++ that
 * bundles its native library; no Hadoop). Reading yields Arrow batches, which become insert tasks
 * as Flight SQL bulk ingest's do ({@link ArrowBatches}); writing takes a query's rows as Arrow
 * batches ({@link ResultSetArrowReader}).
 */
public final class ParquetFiles implements ParquetFormat {

  @Override
  public void load(BulkLoad load, Path file, List<String> columns, int batchRows,
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

  /** The four bytes that open and close every Parquet file. */
  private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  @Override
  public long write(ResultSet rs, Engine engine, Path target) throws IOException, SQLException {
    Path staging = Files.createTempDirectory(target.toAbsolutePath().getParent(),
        "." + target.getFileName() + ".");
    try (ResultSetArrowReader reader = new ResultSetArrowReader(WRITE_ALLOCATOR, rs, engine)) {
      Schema schema = reader.getVectorSchemaRoot().getSchema();
      DatasetFileWriter.write(WRITE_ALLOCATOR, reader, FileFormat.PARQUET,
          staging.toUri().toString(), new String[0], 1, "part-{i}");
      List<Path> parts;
      try (Stream<Path> files = Files.list(staging)) {
        parts = files.toList();
      }
      if (parts.isEmpty() && reader.rows() == 0) {
        writeEmpty(schema, staging, target);
        return 0;
      }
      if (parts.size() != 1) {
        throw new IOException("the Parquet writer made " + parts.size() + " files, expected 1");
      }
      Files.move(parts.get(0), target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return reader.rows();
    } finally {
      FileTrees.deleteRecursively(staging);
    }
  }

  /**
   * Writes a Parquet file of no rows with the columns of {@code schema}. Arrow's dataset writer
   * writes no file at all for a result without rows (apache/arrow issue 37583), so it writes one
   * row of zeros instead, and the target gets that file's footer without its row group: the
   * schema stays exactly as Arrow maps it (with the Arrow schema it stores for readers).
   */
  private static void writeEmpty(Schema schema, Path staging, Path target) throws IOException {
    ByteArrayOutputStream ipc = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, WRITE_ALLOCATOR);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, ipc)) {
      root.allocateNew();
      for (FieldVector v : root.getFieldVectors()) {
        defineZero(v);
      }
      root.setRowCount(1);
      writer.start();
      writer.writeBatch();
      writer.end();
    }
    Path template = staging.resolve("template");
    try (ArrowStreamReader oneRow = new ArrowStreamReader(
        new ByteArrayInputStream(ipc.toByteArray()), WRITE_ALLOCATOR)) {
      DatasetFileWriter.write(WRITE_ALLOCATOR, oneRow, FileFormat.PARQUET,
          template.toUri().toString(), new String[0], 1, "part-{i}");
    }
    Path part;
    try (Stream<Path> files = Files.list(template)) {
      part = files.findFirst().orElseThrow(
          () -> new IOException("the Parquet writer made no file of one row"));
    }
    byte[] file = Files.readAllBytes(part);
    int footerLength = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN)
        .getInt();
    FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(file,
        file.length - 8 - footerLength, footerLength));
    footer.setNum_rows(0);
    footer.setRow_groups(new ArrayList<>());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(PARQUET_MAGIC);
    Util.writeFileMetaData(footer, out);
    int length = out.size() - PARQUET_MAGIC.length;
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array());
    out.write(PARQUET_MAGIC);
    Path empty = staging.resolve("empty.parquet");
    Files.write(empty, out.toByteArray());
    Files.move(empty, target, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Makes row 0 of {@code v} a defined zero (an empty string, an empty or zero vector). */
  private static void defineZero(FieldVector v) {
    switch (v) {
      case FixedSizeListVector list -> {
        list.startNewValue(0);
        FieldVector data = list.getDataVector();
        while (data.getValueCapacity() < list.getListSize()) {
          data.reAlloc();
        }
        for (int i = 0; i < list.getListSize(); i++) {
          ((BaseFixedWidthVector) data).setIndexDefined(i);
        }
        data.setValueCount(list.getListSize());
      }
      case ListVector list -> {
        list.startNewValue(0);
        list.endValue(0, 0);
      }
      case BaseFixedWidthVector fixed -> fixed.setIndexDefined(0);
      case BaseVariableWidthVector variable -> variable.setSafe(0, new byte[0]);
      default -> throw new IllegalStateException("no zero for Arrow type " + v.getField());
    }
    v.setValueCount(1);
  }
}
