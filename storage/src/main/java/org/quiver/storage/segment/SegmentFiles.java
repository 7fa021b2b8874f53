package org.quiver.storage.segment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.storage.column.ArrowColumns;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.column.MappedVectorColumn;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.VectorColumn;

/**
 * Writer and reader of the Arrow files of a sealed segment: the rows ({@value #DATA_FILE}) and the
 * deletes ({@value #DELETES_FILE}).
 *
 * <h2>{@value #DATA_FILE}</h2>
 *
 * An Arrow IPC file (not stream) in record batches of at most 65,536 rows and about 64 MiB of
 * vectors. Column 0 is {@value #TS_COLUMN}, the non-null Int64 insert timestamp of each row; then
 * one column per field of the collection in schema order, named after the field:
 *
 * <table>
 *   <caption>Column types</caption>
 *   <tr><th>DataType</th><th>Arrow type</th></tr>
 *   <tr><td>BOOL</td><td>Bool</td></tr>
 *   <tr><td>INT8 / INT16 / INT32 / INT64</td><td>Int(8 / 16 / 32 / 64, signed)</td></tr>
 *   <tr><td>FLOAT / DOUBLE</td><td>FloatingPoint(SINGLE / DOUBLE)</td></tr>
 *   <tr><td>VARCHAR</td><td>Utf8</td></tr>
 *   <tr><td>TIMESTAMP</td><td>Timestamp(MILLISECOND, "UTC")</td></tr>
 *   <tr><td>FLOAT_VECTOR</td><td>FixedSizeList(dim) of non-null FloatingPoint(SINGLE)</td></tr>
 *   <tr><td>FLOAT16_VECTOR</td><td>FixedSizeList(dim) of non-null FloatingPoint(HALF)</td></tr>
 *   <tr><td>BINARY_VECTOR</td><td>FixedSizeBinary(ceil(bits / 8)), bits packed most significant
 *   first</td></tr>
 *   <tr><td>SPARSE_FLOAT_VECTOR</td><td>List of non-null Struct(index: Int(32), counted from 0,
 *   value: FloatingPoint(SINGLE)), a row's elements by ascending index</td></tr>
 * </table>
 *
 * The schema metadata holds {@code quiver.format=segment-data}, {@code quiver.format.version=1}
 * and {@code quiver.row.count}; each field column's metadata holds {@code quiver.field.id} and
 * {@code quiver.data.type} (the persisted {@link DataType#number()}), a BINARY_VECTOR
 * column's also {@code quiver.bits}, its length in bits, and a SPARSE_FLOAT_VECTOR column's
 * {@code quiver.dimension}. The reader finds columns by
 * field id, not by name or position, so renamed columns still read; a nullable field the file lacks
 * (added to the collection after the segment was written) reads as all NULL.
 *
 * <h2>{@value #DELETES_FILE}</h2>
 *
 * An Arrow IPC file with the columns {@code pk} (Int64 or Utf8, non-null) and {@code ts} (Int64,
 * non-null), schema metadata {@code quiver.format=segment-deletes},
 * {@code quiver.format.version=1}, {@code quiver.row.count} and {@code quiver.data.type} of the
 * key.
 *
 * <h2>Durability and integrity</h2>
 *
 * Each file is written to a temporary name, synced, renamed into place, and the directory synced,
 * so a crash never leaves a partial file under the final name. The writers return the file's size
 * and CRC32C for the {@link SegmentManifest}; the readers take the manifest and check the file's
 * size and CRC32C against it before parsing a byte of it. They parse the verified mapping itself:
 * each record batch is loaded with its buffers pointing into it ({@link MappedBatchLoader}), so
 * reading a segment copies only what it converts to Java values.
 *
 * <p>Thread-safe: the methods keep no state between calls.
 */
public final class SegmentFiles {

  public static final String DATA_FILE = "data.arrow";
  public static final String DELETES_FILE = "deletes.arrow";
  public static final String TS_COLUMN = "_ts";
  public static final String DATA_FORMAT = "segment-data";
  public static final String DELETES_FORMAT = "segment-deletes";
  public static final int VERSION = 1;

  static final String FORMAT_KEY = "quiver.format";
  static final String VERSION_KEY = "quiver.format.version";
  static final String ROW_COUNT_KEY = "quiver.row.count";
  static final String FIELD_ID_KEY = "quiver.field.id";
  static final String DATA_TYPE_KEY = "quiver.data.type";
  /** Field metadata of a BINARY_VECTOR column: its length in bits (its byte width rounds up). */
  static final String BITS_KEY = "quiver.bits";
  /** Field metadata of a SPARSE_FLOAT_VECTOR column: its dimension, which Arrow's List lacks. */
  static final String DIMENSION_KEY = "quiver.dimension";
  /** What a row of a sparse vector column is taken to hold when batches are sized: an estimate. */
  private static final long SPARSE_BYTES_PER_ROW = 1024;

  private static final int MAX_BATCH_ROWS = 1 << 16;
  private static final long MAX_BATCH_VECTOR_BYTES = 64L << 20;

  /** Parent of the per-call child allocators, so that a leaked buffer fails the call's close. */
  private static final BufferAllocator ROOT = new RootAllocator();

  private SegmentFiles() {}

  /**
   * Writes the rows of a segment to {@code dir/data.arrow}.
   *
   * @param insertTs the insert timestamp of each row
   * @return the file's name, size and CRC32C, for the manifest
   */
  public static FileInfo writeData(
      Path dir, CollectionSchema schema, long[] insertTs, ColumnBatch rows) throws IOException {
    if (!rows.schema().equals(schema)) {
      throw new IllegalArgumentException("rows do not follow the given schema");
    }
    int n = rows.rowCount();
    if (insertTs.length != n) {
      throw new IllegalArgumentException(insertTs.length + " timestamps for " + n + " rows");
    }
    Schema arrowSchema = dataSchema(schema, n);
    int batchRows = batchRows(schema);
    return SegmentIo.writeAtomically(
        dir,
        DATA_FILE,
        out -> {
          try (BufferAllocator allocator =
                  ROOT.newChildAllocator("segment-write", 0, Long.MAX_VALUE);
              VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema, allocator);
              ArrowFileWriter writer = new ArrowFileWriter(root, null, out)) {
            writer.start();
            List<FieldVector> vectors = root.getFieldVectors();
            for (int from = 0; from < n; from += batchRows) {
              int count = Math.min(batchRows, n - from);
              for (FieldVector v : vectors) {
                ArrowColumns.allocate(v, count);
              }
              ArrowColumns.writeLongs((BigIntVector) vectors.get(0), insertTs, from, count);
              for (int c = 0; c < schema.size(); c++) {
                ArrowColumns.write(rows.column(c), from, count, vectors.get(c + 1));
              }
              root.setRowCount(count);
              writer.writeBatch();
            }
            writer.end();
          }
        });
  }

  /**
   * Reads the rows of a segment, after checking {@code dir/data.arrow} against the manifest.
   *
   * @throws CorruptSegmentException naming the data file if the manifest does not list it, it
   *     fails verification, cannot be parsed, or does not hold the schema's fields
   */
  public static SegmentData readData(Path dir, SegmentManifest manifest, CollectionSchema schema)
      throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      return readData(dir, manifest, schema, arena, false);
    }
  }

  /**
   * Reads the rows of a segment as {@link #readData} does, except that each vector column is a
   * {@link VectorColumn} over the file mapped in {@code arena} (verified first, like every read):
   * the vectors are read in place, not copied. The caller owns {@code arena}, which must outlive
   * every use of the columns (a shared arena if several threads read them).
   */
  public static SegmentData mapData(Path dir, SegmentManifest manifest, CollectionSchema schema,
      Arena arena) throws IOException {
    return readData(dir, manifest, schema, arena, true);
  }

  private static SegmentData readData(Path dir, SegmentManifest manifest,
      CollectionSchema schema, Arena arena, boolean mapVectors) throws IOException {
    Path file = dir.resolve(DATA_FILE);
    FileInfo expected =
        manifest
            .file(DATA_FILE)
            .orElseThrow(() -> new CorruptSegmentException(file, "not listed in the manifest"));
    MemorySegment bytes = SegmentIo.mapVerified(dir, expected, arena);
    try (BufferAllocator allocator = ROOT.newChildAllocator("segment-read", 0, Long.MAX_VALUE);
        ArrowFileReader reader =
            new ArrowFileReader(new SegmentIo.MemorySegmentChannel(bytes), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      Schema fileSchema = root.getSchema();
      int n = header(file, fileSchema, DATA_FORMAT);
      List<Field> fileFields = fileSchema.getFields();
      if (fileFields.isEmpty()
          || !fileFields.get(0).getName().equals(TS_COLUMN)
          || !ArrowColumns.matches(fileFields.get(0), DataType.INT64, 0)) {
        throw new CorruptSegmentException(file, "column 0 is not the Int64 " + TS_COLUMN);
      }
      int[] columnOf = columnsOf(file, schema, fileFields);
      long[] ts = new long[n];
      List<ColumnBuilder> columns = new ArrayList<>(schema.size());
      List<List<MemorySegment>> chunks = new ArrayList<>(schema.size());
      for (FieldSchema f : schema.fields()) {
        boolean absent = columnOf[columns.size()] < 0;
        boolean mapped = mapVectors && f.isVector() && !absent;
        ColumnBuilder column = mapped ? null : new ColumnBuilder(f, n);
        for (int r = 0; absent && r < n; r++) {
          // A nullable column the file lacks is NULL in every row.
          column.appendNull();
        }
        columns.add(column);
        chunks.add(mapped ? new ArrayList<>() : null);
      }
      MappedBatchLoader loader = new MappedBatchLoader(file, bytes, root, allocator);
      List<Integer> starts = new ArrayList<>();
      int at = 0;
      for (ArrowBlock block : reader.getRecordBlocks()) {
        RecordBatch batch = loader.load(block);
        int count = root.getRowCount();
        if (count > n - at) {
          throw new CorruptSegmentException(file, "holds more rows than its header's " + n);
        }
        if (!ArrowColumns.readLongs((BigIntVector) root.getVector(0), ts, at)) {
          throw new CorruptSegmentException(file, TS_COLUMN + " holds a null");
        }
        for (int c = 0; c < schema.size(); c++) {
          if (columnOf[c] < 0) {
            continue;
          }
          FieldSchema f = schema.fields().get(c);
          FieldVector v = root.getVector(columnOf[c]);
          if (chunks.get(c) != null) {
            chunks.get(c).add(vectorBuffer(file, bytes, block, batch, fileFields, columnOf[c],
                count, (long) f.dimension() * f.type().elementBytes()));
          } else {
            columns.get(c).appendColumn(ArrowColumns.read(v, f));
          }
        }
        starts.add(at);
        at += count;
      }
      if (at != n) {
        throw new CorruptSegmentException(file, "holds " + at + " rows, its header says " + n);
      }
      int[] first = starts.stream().mapToInt(Integer::intValue).toArray();
      List<Column> built = new ArrayList<>(schema.size());
      for (int c = 0; c < schema.size(); c++) {
        FieldSchema f = schema.fields().get(c);
        built.add(chunks.get(c) == null ? columns.get(c).build() : new MappedVectorColumn(f.type(),
            new VectorColumn(f.dimension(), f.type().elementBytes(), n, chunks.get(c), first)));
      }
      return new SegmentData(ts, new ColumnBatch(schema, n, built));
    } catch (CorruptSegmentException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorruptSegmentException(file, "cannot be parsed: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the deletes of a segment to {@code dir/deletes.arrow}.
   *
   * @param pkType {@link DataType#INT64} or {@link DataType#VARCHAR}
   * @param pks the deleted primary keys, {@link Long} or {@link String}, non-null
   * @param ts the delete timestamp of each key
   * @return the file's name, size and CRC32C, for the manifest
   */
  public static FileInfo writeDeletes(Path dir, DataType pkType, Object[] pks, long[] ts)
      throws IOException {
    DeleteLog log = new DeleteLog(pkType, pks, ts);
    ColumnBuilder keyColumn = new ColumnBuilder(keyField(pkType), pks.length);
    for (Object pk : pks) {
      keyColumn.append(pk);
    }
    Column keys = keyColumn.build();
    Schema arrowSchema = deletesSchema(pkType, log.size());
    return SegmentIo.writeAtomically(
        dir,
        DELETES_FILE,
        out -> {
          try (BufferAllocator allocator =
                  ROOT.newChildAllocator("deletes-write", 0, Long.MAX_VALUE);
              VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema, allocator);
              ArrowFileWriter writer = new ArrowFileWriter(root, null, out)) {
            writer.start();
            for (int from = 0; from < log.size(); from += MAX_BATCH_ROWS) {
              int count = Math.min(MAX_BATCH_ROWS, log.size() - from);
              for (FieldVector v : root.getFieldVectors()) {
                ArrowColumns.allocate(v, count);
              }
              ArrowColumns.write(keys, from, count, root.getVector(0));
              ArrowColumns.writeLongs((BigIntVector) root.getVector(1), ts, from, count);
              root.setRowCount(count);
              writer.writeBatch();
            }
            writer.end();
          }
        });
  }

  /**
   * Reads the deletes of a segment, after checking {@code dir/deletes.arrow} against the manifest;
   * an empty log if the manifest lists no deletes file.
   *
   * @throws CorruptSegmentException naming the deletes file if it fails verification or parsing
   */
  public static DeleteLog readDeletes(Path dir, SegmentManifest manifest, DataType pkType)
      throws IOException {
    Path file = dir.resolve(DELETES_FILE);
    FileInfo expected = manifest.file(DELETES_FILE).orElse(null);
    if (expected == null) {
      return new DeleteLog(pkType, new Object[0], new long[0]);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment bytes = SegmentIo.mapVerified(dir, expected, arena);
      try (BufferAllocator allocator = ROOT.newChildAllocator("deletes-read", 0, Long.MAX_VALUE);
          ArrowFileReader reader =
              new ArrowFileReader(new SegmentIo.MemorySegmentChannel(bytes), allocator)) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        Schema fileSchema = root.getSchema();
        int n = header(file, fileSchema, DELETES_FORMAT);
        List<Field> fields = fileSchema.getFields();
        if (fields.size() != 2
            || !ArrowColumns.matches(fields.get(0), pkType, 0)
            || !ArrowColumns.matches(fields.get(1), DataType.INT64, 0)) {
          throw new CorruptSegmentException(
              file, "columns are " + fields + ", expected pk " + pkType + " and ts INT64");
        }
        Object[] pks = new Object[n];
        long[] ts = new long[n];
        MappedBatchLoader loader = new MappedBatchLoader(file, bytes, root, allocator);
        int at = 0;
        for (ArrowBlock block : reader.getRecordBlocks()) {
          loader.load(block);
          int count = root.getRowCount();
          if (count > n - at) {
            throw new CorruptSegmentException(file, "holds more rows than its header's " + n);
          }
          FieldVector pk = root.getVector(0);
          if (pk.getNullCount() > 0
              || !ArrowColumns.readLongs((BigIntVector) root.getVector(1), ts, at)) {
            throw new CorruptSegmentException(file, "holds a null key or timestamp");
          }
          Column keys = ArrowColumns.read(pk, keyField(pkType));
          for (int i = 0; i < count; i++) {
            pks[at + i] = keys.get(i);
          }
          at += count;
        }
        if (at != n) {
          throw new CorruptSegmentException(file, "holds " + at + " rows, its header says " + n);
        }
        return new DeleteLog(pkType, pks, ts);
      } catch (CorruptSegmentException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new CorruptSegmentException(file, "cannot be parsed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * The data buffer of the elements of vector column {@code column} in the record batch {@code
   * batch} at {@code block}, {@code rowBytes} a row, as a slice of the mapped file: found from the
   * batch's metadata, where the buffers of the columns are listed in schema order, depth first (a
   * FixedSizeList has its validity buffer, then its Float4 or Float2 child its validity and data
   * buffers).
   */
  private static MemorySegment vectorBuffer(Path file, MemorySegment bytes, ArrowBlock block,
      RecordBatch batch, List<Field> fileFields, int column, int rows, long rowBytes)
      throws CorruptSegmentException {
    int index = 2;
    for (int i = 0; i < column; i++) {
      index += bufferCount(fileFields.get(i));
    }
    if (index >= batch.buffersLength()) {
      throw new CorruptSegmentException(file, "record batch at " + block.getOffset() + " has "
          + batch.buffersLength() + " buffers, the vectors of column " + column + " need "
          + (index + 1));
    }
    long length = rows * rowBytes;
    long offset = block.getOffset() + block.getMetadataLength() + batch.buffers(index).offset();
    if (batch.buffers(index).length() < length || offset < 0
        || offset + length > bytes.byteSize()) {
      throw new CorruptSegmentException(file, "vector buffer of column " + column
          + " at " + offset + " does not hold " + rows + " rows");
    }
    return bytes.asSlice(offset, length);
  }

  private static int bufferCount(Field field) {
    int count = TypeLayout.getTypeBufferCount(field.getType());
    for (Field child : field.getChildren()) {
      count += bufferCount(child);
    }
    return count;
  }

  private static Schema dataSchema(CollectionSchema schema, int rowCount) {
    List<Field> fields = new ArrayList<>(schema.size() + 1);
    fields.add(ArrowColumns.field(TS_COLUMN, DataType.INT64, 0, false, null));
    for (FieldSchema f : schema.fields()) {
      Map<String, String> meta = f.type() == DataType.BINARY_VECTOR
          ? Map.of(
              FIELD_ID_KEY, Integer.toString(f.id()),
              DATA_TYPE_KEY, Integer.toString(f.type().number()),
              BITS_KEY, Integer.toString(f.dimension()))
          : f.type() == DataType.SPARSE_FLOAT_VECTOR
          ? Map.of(
              FIELD_ID_KEY, Integer.toString(f.id()),
              DATA_TYPE_KEY, Integer.toString(f.type().number()),
              DIMENSION_KEY, Integer.toString(f.dimension()))
          : Map.of(
              FIELD_ID_KEY, Integer.toString(f.id()),
              DATA_TYPE_KEY, Integer.toString(f.type().number()));
      fields.add(ArrowColumns.field(f.name(), f.type(), f.dimension(), f.nullable(), meta));
    }
    return new Schema(fields, header(DATA_FORMAT, rowCount, Map.of()));
  }

  /** The key column of a deletes file, as a field for building and reading its column. */
  private static FieldSchema keyField(DataType pkType) {
    return new FieldSchema(0, "pk", pkType, 0, false, false);
  }

  private static Schema deletesSchema(DataType pkType, int rowCount) {
    List<Field> fields =
        List.of(
            ArrowColumns.field("pk", pkType, 0, false, null),
            ArrowColumns.field("ts", DataType.INT64, 0, false, null));
    Map<String, String> key = Map.of(DATA_TYPE_KEY, Integer.toString(pkType.number()));
    return new Schema(fields, header(DELETES_FORMAT, rowCount, key));
  }

  private static Map<String, String> header(String format, int rowCount, Map<String, String> more) {
    Map<String, String> meta = new HashMap<>(more);
    meta.put(FORMAT_KEY, format);
    meta.put(VERSION_KEY, Integer.toString(VERSION));
    meta.put(ROW_COUNT_KEY, Integer.toString(rowCount));
    return meta;
  }

  /** Checks the format and version of a file's schema metadata; returns its row count. */
  private static int header(Path file, Schema schema, String format)
      throws CorruptSegmentException {
    Map<String, String> meta = schema.getCustomMetadata();
    String actual = meta == null ? null : meta.get(FORMAT_KEY);
    if (!format.equals(actual)) {
      throw new CorruptSegmentException(file, "format is " + actual + ", expected " + format);
    }
    try {
      int version = Integer.parseInt(meta.get(VERSION_KEY));
      if (version < 1 || version > VERSION) {
        throw new CorruptSegmentException(
            file, "unsupported version " + version + ", this build reads up to " + VERSION);
      }
      int rows = Integer.parseInt(meta.get(ROW_COUNT_KEY));
      if (rows < 0) {
        throw new CorruptSegmentException(file, "negative row count " + rows);
      }
      return rows;
    } catch (NumberFormatException e) {
      throw new CorruptSegmentException(file, "bad version or row count: " + e.getMessage(), e);
    }
  }

  /** For each field of the schema, the index of its column in the file, or -1 if it has none. */
  private static int[] columnsOf(Path file, CollectionSchema schema, List<Field> fileFields)
      throws CorruptSegmentException {
    Map<Integer, Integer> byId = new HashMap<>();
    for (int i = 1; i < fileFields.size(); i++) {
      Map<String, String> meta = fileFields.get(i).getMetadata();
      String id = meta == null ? null : meta.get(FIELD_ID_KEY);
      if (id == null) {
        throw new CorruptSegmentException(file, "column " + i + " has no field id");
      }
      byId.put(Integer.parseInt(id), i);
    }
    int[] columnOf = new int[schema.size()];
    for (int c = 0; c < schema.size(); c++) {
      FieldSchema f = schema.fields().get(c);
      Integer i = byId.get(f.id());
      if (i == null) {
        if (!f.nullable()) {
          throw new CorruptSegmentException(
              file, "no column for non-nullable field " + f.name() + " (id " + f.id() + ")");
        }
        columnOf[c] = -1;
        continue;
      }
      if (!ArrowColumns.matches(fileFields.get(i), f.type(), f.dimension())) {
        throw new CorruptSegmentException(
            file,
            "column of field "
                + f.name()
                + " (id "
                + f.id()
                + ") is "
                + fileFields.get(i).getType()
                + ", schema says "
                + f.type()
                + (f.isVector() || f.type() == DataType.BINARY_VECTOR
                    || f.type() == DataType.SPARSE_FLOAT_VECTOR ? "(" + f.dimension() + ")" : ""));
      }
      if (f.type() == DataType.SPARSE_FLOAT_VECTOR && !Integer.toString(f.dimension())
          .equals(fileFields.get(i).getMetadata().get(DIMENSION_KEY))) {
        throw new CorruptSegmentException(file, "column of field " + f.name() + " (id " + f.id()
            + ") holds sparse vectors of " + fileFields.get(i).getMetadata().get(DIMENSION_KEY)
            + " dimensions, schema says " + f.type() + "(" + f.dimension() + ")");
      }
      if (f.type() == DataType.BINARY_VECTOR && !Integer.toString(f.dimension())
          .equals(fileFields.get(i).getMetadata().get(BITS_KEY))) {
        throw new CorruptSegmentException(file, "column of field " + f.name() + " (id " + f.id()
            + ") holds bit strings of " + fileFields.get(i).getMetadata().get(BITS_KEY)
            + " bits, schema says " + f.type() + "(" + f.dimension() + ")");
      }
      columnOf[c] = i;
    }
    return columnOf;
  }

  private static int batchRows(CollectionSchema schema) {
    long vectorBytesPerRow = 0;
    for (FieldSchema f : schema.fields()) {
      if (f.isVector()) {
        vectorBytesPerRow += (long) f.dimension() * f.type().elementBytes();
      } else if (f.type() == DataType.BINARY_VECTOR) {
        vectorBytesPerRow += DataType.bitBytes(f.dimension());
      } else if (f.type() == DataType.SPARSE_FLOAT_VECTOR) {
        vectorBytesPerRow += SPARSE_BYTES_PER_ROW;
      }
    }
    if (vectorBytesPerRow == 0) {
      return MAX_BATCH_ROWS;
    }
    return (int) Math.max(1, Math.min(MAX_BATCH_ROWS, MAX_BATCH_VECTOR_BYTES / vectorBytesPerRow));
  }
}
