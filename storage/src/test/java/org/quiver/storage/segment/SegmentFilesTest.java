package org.quiver.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.vector.SparseVector;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.column.FloatVectorColumn;
import org.quiver.storage.column.HeapVectorColumn;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.HalfFloats;
import org.quiver.storage.vector.VectorColumn;

class SegmentFilesTest {

  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());

  @TempDir Path dir;

  private static final CollectionSchema ALL_TYPES =
      new CollectionSchema(
          List.of(
              new FieldSchema(100, "id", DataType.INT64, 0, false, true),
              new FieldSchema(101, "flag", DataType.BOOL, 0, true, false),
              new FieldSchema(102, "tiny", DataType.INT8, 0, true, false),
              new FieldSchema(103, "small", DataType.INT16, 0, true, false),
              new FieldSchema(104, "num", DataType.INT32, 0, true, false),
              new FieldSchema(105, "big", DataType.INT64, 0, true, false),
              new FieldSchema(106, "real", DataType.FLOAT, 0, true, false),
              new FieldSchema(107, "dbl", DataType.DOUBLE, 0, true, false),
              new FieldSchema(108, "name", DataType.VARCHAR, 0, true, false),
              new FieldSchema(109, "at", DataType.TIMESTAMP, 0, true, false),
              new FieldSchema(110, "embedding", DataType.FLOAT_VECTOR, 128, false, false)));

  private static ColumnBatch randomRows(CollectionSchema schema, int n, Random random) {
    List<Column> columns = new ArrayList<>();
    for (FieldSchema f : schema.fields()) {
      if (f.isVector()) {
        float[] v = new float[n * f.dimension()];
        for (int i = 0; i < v.length; i++) {
          v[i] = random.nextFloat() * 2 - 1;
        }
        columns.add(new HeapVectorColumn(f.type(), f.dimension(), v));
        continue;
      }
      Object[] values = new Object[n];
      for (int r = 0; r < n; r++) {
        if (f.nullable() && random.nextInt(5) == 0) {
          continue;
        }
        values[r] =
            switch (f.type()) {
              case BOOL -> random.nextBoolean();
              case INT8 -> (byte) random.nextInt();
              case INT16 -> (short) random.nextInt();
              case INT32 -> random.nextInt();
              case INT64 -> f.primaryKey() ? (long) r : random.nextLong();
              case FLOAT -> random.nextFloat();
              case DOUBLE -> random.nextDouble();
              case VARCHAR -> r % 7 == 0 ? "" : "név-" + random.nextInt(1000) + "-☃";
              case TIMESTAMP -> random.nextLong(4_000_000_000_000L);
              case FLOAT_VECTOR, FLOAT16_VECTOR -> throw new AssertionError();
              case BINARY_VECTOR -> {
                byte[] bits = new byte[DataType.bitBytes(f.dimension())];
                random.nextBytes(bits);
                bits[bits.length - 1] &= (byte) ~BinaryVectorColumn.padMask(f.dimension());
                yield bits;
              }
              case SPARSE_FLOAT_VECTOR -> randomSparse(f.dimension(), random);
            };
      }
      columns.add(ColumnBuilder.of(f, values));
    }
    return new ColumnBatch(schema, n, columns);
  }

  /** A sparse vector of up to 20 non-zero elements (none, now and then). */
  private static SparseVector randomSparse(int dimension, Random random) {
    java.util.TreeMap<Integer, Float> elements = new java.util.TreeMap<>();
    int nonZeros = random.nextInt(Math.min(dimension, 20) + 1);
    while (elements.size() < nonZeros) {
      elements.put(random.nextInt(dimension), random.nextFloat() + 0.5f);
    }
    int[] indices = elements.keySet().stream().mapToInt(Integer::intValue).toArray();
    float[] values = new float[indices.length];
    int i = 0;
    for (float v : elements.values()) {
      values[i++] = v;
    }
    return new SparseVector(dimension, indices, values);
  }

  private static long[] timestamps(int n) {
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_000 + i;
    }
    return ts;
  }

  private SegmentManifest writeSegment(CollectionSchema schema, long[] ts, ColumnBatch rows)
      throws IOException {
    FileInfo data = SegmentFiles.writeData(dir, schema, ts, rows);
    SegmentManifest m =
        new SegmentManifest(7, rows.rowCount(), ts[0], ts[ts.length - 1], List.of(data));
    m.write(dir);
    return m;
  }

  private static Object[] values(ColumnBatch rows, int column) {
    Object[] out = new Object[rows.rowCount()];
    for (int r = 0; r < out.length; r++) {
      out[r] = rows.value(column, r);
    }
    return out;
  }

  private static void assertSameRows(ColumnBatch expected, ColumnBatch actual) {
    assertEquals(expected.rowCount(), actual.rowCount(), "seed " + SEED);
    for (int c = 0; c < expected.schema().size(); c++) {
      FieldSchema f = expected.schema().fields().get(c);
      if (f.isVector()) {
        assertArrayEquals(expected.vectors(c), actual.vectors(c), f.name() + " seed " + SEED);
      } else {
        assertArrayEquals(values(expected, c), values(actual, c), f.name() + " seed " + SEED);
      }
    }
  }

  @Test
  void everyTypeRoundTripsWithNulls() throws IOException {
    ColumnBatch rows = randomRows(ALL_TYPES, 1000, new Random(SEED));
    long[] ts = timestamps(1000);
    writeSegment(ALL_TYPES, ts, rows);

    SegmentManifest manifest = SegmentManifest.read(dir);
    assertEquals(7, manifest.segmentId());
    assertEquals(1000, manifest.rowCount());
    assertEquals(1000, manifest.minTs());
    assertEquals(1999, manifest.maxTs());
    SegmentData data = SegmentFiles.readData(dir, manifest, ALL_TYPES);
    assertArrayEquals(ts, data.insertTs());
    assertSameRows(rows, data.rows());
  }

  @Test
  void manyBatchesAndEmptySegmentsRoundTrip() throws IOException {
    CollectionSchema schema =
        new CollectionSchema(List.of(new FieldSchema(1, "k", DataType.VARCHAR, 0, false, true)));
    int n = 70_000;
    Object[] keys = new Object[n];
    for (int i = 0; i < n; i++) {
      keys[i] = "k" + i;
    }
    ColumnBatch rows =
        new ColumnBatch(schema, n, List.of(ColumnBuilder.of(schema.fields().get(0), keys)));
    SegmentManifest m = writeSegment(schema, timestamps(n), rows);
    assertSameRows(rows, SegmentFiles.readData(dir, m, schema).rows());

    ColumnBatch empty =
        new ColumnBatch(schema, 0, List.of(ColumnBuilder.of(schema.fields().get(0))));
    FileInfo info = SegmentFiles.writeData(dir, schema, new long[0], empty);
    SegmentManifest emptyManifest = new SegmentManifest(8, 0, 0, 0, List.of(info));
    assertEquals(0, SegmentFiles.readData(dir, emptyManifest, schema).rows().rowCount());
  }

  @Test
  void bitStringsRoundTripWithNullsAcrossBatches() throws IOException {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "b", DataType.BINARY_VECTOR, 67, true, false),
        new FieldSchema(3, "v", DataType.FLOAT_VECTOR, 2, false, false),
        new FieldSchema(4, "one", DataType.BINARY_VECTOR, 1, false, false)));
    int n = 70_000;
    ColumnBatch rows = randomRows(schema, n, new Random(SEED));
    SegmentManifest m = writeSegment(schema, timestamps(n), rows);
    ColumnBatch read = SegmentFiles.readData(dir, m, schema).rows();
    assertSameRows(rows, read);
    BinaryVectorColumn b = (BinaryVectorColumn) read.column(1);
    assertEquals(67, b.bits());
    assertEquals(9, b.bytesPerRow());
    for (int r = 0; r < n; r++) {
      assertEquals(rows.column(1).isNull(r), b.isNull(r), "row " + r + " seed " + SEED);
    }
    // Mapping reads vectors in place; bit strings are read onto the heap like scalars.
    try (Arena arena = Arena.ofConfined()) {
      assertSameRows(rows, SegmentFiles.mapData(dir, m, schema, arena).rows());
    }
    // A file whose column is another length is refused, naming the field and its length.
    List<FieldSchema> longer = new ArrayList<>(schema.fields());
    longer.set(1, new FieldSchema(2, "b", DataType.BINARY_VECTOR, 72, true, false));
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
        () -> SegmentFiles.readData(dir, m, new CollectionSchema(longer)));
    assertTrue(e.getMessage().contains("BINARY_VECTOR(72)"), e.getMessage());

    // The longest bit string, 64,000 bits, in a segment of its own.
    CollectionSchema wide = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "w", DataType.BINARY_VECTOR, 64000, true, false)));
    ColumnBatch wideRows = randomRows(wide, 40, new Random(SEED));
    Path wideDir = dir.resolve("wide");
    Files.createDirectories(wideDir);
    FileInfo info = SegmentFiles.writeData(wideDir, wide, timestamps(40), wideRows);
    assertSameRows(wideRows, SegmentFiles.readData(wideDir,
        new SegmentManifest(9, 40, 1000, 1039, List.of(info)), wide).rows());
  }

  @Test
  void sparseVectorsRoundTripWithNullsAcrossBatches() throws IOException {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "s", DataType.SPARSE_FLOAT_VECTOR, 1_000_000_000, true, false),
        new FieldSchema(3, "v", DataType.FLOAT_VECTOR, 2, false, false),
        new FieldSchema(4, "small", DataType.SPARSE_FLOAT_VECTOR, 3, false, false)));
    int n = 70_000;
    ColumnBatch rows = randomRows(schema, n, new Random(SEED));
    SegmentManifest m = writeSegment(schema, timestamps(n), rows);
    ColumnBatch read = SegmentFiles.readData(dir, m, schema).rows();
    assertSameRows(rows, read);
    SparseVectorColumn s = (SparseVectorColumn) read.column(1);
    assertEquals(1_000_000_000, s.dimension());
    for (int r = 0; r < n; r++) {
      assertEquals(rows.column(1).isNull(r), s.isNull(r), "row " + r + " seed " + SEED);
    }
    try (Arena arena = Arena.ofConfined()) {
      assertSameRows(rows, SegmentFiles.mapData(dir, m, schema, arena).rows());
    }
    // A file whose column has another dimension is refused, naming the field and dimensions.
    List<FieldSchema> other = new ArrayList<>(schema.fields());
    other.set(3, new FieldSchema(4, "small", DataType.SPARSE_FLOAT_VECTOR, 4, false, false));
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
        () -> SegmentFiles.readData(dir, m, new CollectionSchema(other)));
    assertTrue(e.getMessage().contains("holds sparse vectors of 3 dimensions")
        && e.getMessage().contains("SPARSE_FLOAT_VECTOR(4)"), e.getMessage());
  }

  @Test
  void mappedVectorsAreTheVectorsReadAcrossBatches() throws IOException {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 3, false, false),
        new FieldSchema(3, "name", DataType.VARCHAR, 0, true, false),
        new FieldSchema(4, "w", DataType.FLOAT_VECTOR, 17, false, false)));
    int n = 70_000;
    ColumnBatch rows = randomRows(schema, n, new Random(SEED));
    SegmentManifest m = writeSegment(schema, timestamps(n), rows);
    SegmentData heap = SegmentFiles.readData(dir, m, schema);
    VectorColumn kept;
    try (Arena arena = Arena.ofShared()) {
      SegmentData mapped = SegmentFiles.mapData(dir, m, schema, arena);
      assertArrayEquals(heap.insertTs(), mapped.insertTs());
      assertArrayEquals(values(heap.rows(), 0), values(mapped.rows(), 0));
      assertArrayEquals(values(heap.rows(), 2), values(mapped.rows(), 2));
      for (int c : new int[] {1, 3}) {
        VectorColumn column = mapped.rows().mapped(c);
        int dim = schema.fields().get(c).dimension();
        assertEquals(n, column.rowCount());
        assertEquals(2, column.chunkCount(), "65,536 rows per batch");
        assertEquals(65_536, column.chunkStart(1));
        float[] expected = heap.rows().vectors(c);
        for (int r = 0; r < n; r++) {
          assertArrayEquals(java.util.Arrays.copyOfRange(expected, r * dim, (r + 1) * dim),
              column.row(r), "row " + r + " of " + c + " seed " + SEED);
        }
      }
      kept = mapped.rows().mapped(1);
    }
    assertThrows(IllegalStateException.class, () -> kept.row(0), "read after the unmapping");
  }

  @Test
  void float16VectorsAreStoredAsHalfFloatsAndReadBackMappedWithTheirNulls() throws IOException {
    FieldSchema half = new FieldSchema(2, "h", DataType.FLOAT16_VECTOR, 5, true, false);
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true), half));
    int n = 70_000;
    int dim = half.dimension();
    Random random = new Random(SEED);
    ColumnBuilder ids = new ColumnBuilder(schema.fields().get(0), n);
    ColumnBuilder vectors = new ColumnBuilder(half, n);
    float[][] expected = new float[n][];
    for (int r = 0; r < n; r++) {
      ids.append((long) r);
      if (r % 7 == 3) {
        vectors.appendNull();
        continue;
      }
      float[] v = new float[dim];
      expected[r] = new float[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = (random.nextFloat() * 2 - 1) * 1000;
        expected[r][d] = Float.float16ToFloat(Float.floatToFloat16(v[d]));
      }
      vectors.append(v);
    }
    ColumnBatch rows = new ColumnBatch(schema, n, List.of(ids.build(), vectors.build()));
    SegmentManifest m = writeSegment(schema, timestamps(n), rows);

    // The file's column: FixedSizeList(5) of FloatingPoint(HALF), two bytes an element.
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader reader = new ArrowFileReader(new SeekableReadChannel(
            new ByteArrayReadableSeekableByteChannel(
                Files.readAllBytes(dir.resolve("data.arrow")))), allocator)) {
      org.apache.arrow.vector.types.pojo.Field field =
          reader.getVectorSchemaRoot().getSchema().findField("h");
      assertEquals(new ArrowType.FixedSizeList(dim), field.getType());
      assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.HALF),
          field.getChildren().getFirst().getType());
      assertTrue(reader.loadNextBatch());
      int batchRows = reader.getVectorSchemaRoot().getRowCount();
      FieldVector elements =
          ((FixedSizeListVector) reader.getVectorSchemaRoot().getVector("h")).getDataVector();
      assertEquals((long) batchRows * dim * Short.BYTES,
          elements.getDataBuffer().readableBytes());
    }

    ColumnBatch heap = SegmentFiles.readData(dir, m, schema).rows();
    assertEquals(DataType.FLOAT16_VECTOR, heap.column(1).type());
    try (Arena arena = Arena.ofConfined()) {
      ColumnBatch mapped = SegmentFiles.mapData(dir, m, schema, arena).rows();
      FloatVectorColumn column = mapped.vectorColumn(1);
      assertEquals(DataType.FLOAT16_VECTOR, column.type());
      VectorColumn chunks = column.mapped();
      assertEquals(Short.BYTES, chunks.elementBytes());
      assertTrue(chunks.chunkCount() >= 2, "read across batches");
      for (int r = 0; r < n; r++) {
        String at = "row " + r + " seed " + SEED;
        assertEquals(expected[r] == null, column.isNull(r), at);
        assertEquals(expected[r] == null, heap.column(1).isNull(r), at);
        assertArrayEquals(expected[r], (float[]) column.get(r), at);
        assertArrayEquals(expected[r], (float[]) heap.value(1, r), at);
        // The mapped bytes themselves: each element's float16 bits, a NULL's half NaN.
        int c = chunks.chunkOf(r);
        long offset = (long) (r - chunks.chunkStart(c)) * dim * Short.BYTES;
        for (int d = 0; d < dim; d++) {
          short bits = chunks.chunk(c).get(HalfFloats.SHORT_LE, offset + (long) d * Short.BYTES);
          assertEquals(expected[r] == null ? (short) 0x7E00 : Float.floatToFloat16(expected[r][d]),
              bits, at);
        }
      }
      float[] flat = column.flat();
      assertArrayEquals(expected[0], java.util.Arrays.copyOfRange(flat, 0, dim));
      assertTrue(Float.isNaN(flat[3 * dim]), "a NULL row reads as NaN");
    }
  }

  @Test
  void columnsAreFoundByFieldId() throws IOException {
    ColumnBatch rows = randomRows(ALL_TYPES, 10, new Random(SEED));
    SegmentManifest m = writeSegment(ALL_TYPES, timestamps(10), rows);
    List<FieldSchema> evolved = new ArrayList<>(ALL_TYPES.fields());
    evolved.set(1, new FieldSchema(101, "renamed_flag", DataType.BOOL, 0, true, false));
    evolved.add(new FieldSchema(111, "added_later", DataType.INT32, 0, true, false));
    CollectionSchema schema = new CollectionSchema(evolved);

    ColumnBatch read = SegmentFiles.readData(dir, m, schema).rows();
    assertArrayEquals(values(rows, 1), values(read, 1));
    assertArrayEquals(new Object[10], values(read, 11));

    List<FieldSchema> retyped = new ArrayList<>(ALL_TYPES.fields());
    retyped.set(4, new FieldSchema(104, "num", DataType.INT64, 0, true, false));
    CorruptSegmentException e =
        assertThrows(
            CorruptSegmentException.class,
            () -> SegmentFiles.readData(dir, m, new CollectionSchema(retyped)));
    assertTrue(e.getMessage().contains("num"), e.getMessage());
  }

  @Test
  void deletesRoundTrip() throws IOException {
    Object[] keys = {3L, -1L, 3L};
    FileInfo longs = SegmentFiles.writeDeletes(dir, DataType.INT64, keys, new long[] {5, 6, 7});
    SegmentManifest m = new SegmentManifest(1, 0, 0, 0, List.of(longs));
    m.write(dir);
    DeleteLog log = SegmentFiles.readDeletes(dir, SegmentManifest.read(dir), DataType.INT64);
    assertArrayEquals(new Object[] {3L, -1L, 3L}, log.pks());
    assertArrayEquals(new long[] {5, 6, 7}, log.ts());

    Object[] names = {"a", "ü"};
    FileInfo strings = SegmentFiles.writeDeletes(dir, DataType.VARCHAR, names, new long[] {1, 2});
    DeleteLog text = SegmentFiles.readDeletes(dir, m.withFile(strings), DataType.VARCHAR);
    assertArrayEquals(new Object[] {"a", "ü"}, text.pks());

    SegmentManifest none = new SegmentManifest(1, 0, 0, 0, List.of());
    assertEquals(0, SegmentFiles.readDeletes(dir, none, DataType.INT64).size());
    assertThrows(
        IllegalArgumentException.class,
        () -> SegmentFiles.writeDeletes(dir, DataType.INT64, new Object[] {null}, new long[] {1}));
  }

  @Test
  void fileCarriesFormatMetadataAndNoTemporaryFilesRemain() throws IOException {
    writeSegment(ALL_TYPES, timestamps(3), randomRows(ALL_TYPES, 3, new Random(SEED)));
    try (Stream<Path> files = Files.list(dir)) {
      Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
      assertEquals(Set.of("data.arrow", "manifest"), names);
    }
    String manifest = Files.readString(dir.resolve("manifest"));
    assertTrue(manifest.contains("\"format\" : \"segment-manifest\""), manifest);
    byte[] data = Files.readAllBytes(dir.resolve("data.arrow"));
    assertEquals("ARROW1", new String(data, 0, 6, StandardCharsets.US_ASCII));
    String text = new String(data, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("quiver.format") && text.contains("segment-data"));
    assertTrue(text.contains("quiver.field.id"));
  }

  @Test
  void badInputNamesColumnAndRow() {
    CollectionSchema schema =
        new CollectionSchema(
            List.of(
                new FieldSchema(1, "id", DataType.INT64, 0, false, true),
                new FieldSchema(2, "n", DataType.INT32, 0, true, false)));
    ColumnBatch nullKey = new ColumnBatch(schema, 1, List.of(
        ColumnBuilder.deferringNotNull(schema.fields().get(0), 1).appendNull().build(),
        ColumnBuilder.of(schema.fields().get(1), 1)));
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> SegmentFiles.writeData(dir, schema, new long[] {1}, nullKey));
    assertEquals("column id is not nullable but row 0 is null", e.getMessage());
    assertTrue(Files.notExists(dir.resolve("data.arrow")));
  }

  @Test
  void flippedByteIsCaught() throws IOException {
    SegmentManifest m =
        writeSegment(ALL_TYPES, timestamps(50), randomRows(ALL_TYPES, 50, new Random(SEED)));
    Path data = dir.resolve("data.arrow");
    long at = new Random(SEED).nextLong(Files.size(data));
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x10);
    }
    CorruptSegmentException e =
        assertThrows(CorruptSegmentException.class, () -> SegmentManifest.read(dir));
    assertEquals(data, e.file(), "byte " + at + " seed " + SEED);
    assertTrue(e.getMessage().contains("data.arrow"), e.getMessage());
    // A manifest read before the damage must not let the reader return the damaged data.
    CorruptSegmentException stale =
        assertThrows(
            CorruptSegmentException.class, () -> SegmentFiles.readData(dir, m, ALL_TYPES));
    assertEquals(data, stale.file());
  }

  @Test
  void truncatedDataFileIsCaught() throws IOException {
    SegmentManifest m =
        writeSegment(ALL_TYPES, timestamps(20), randomRows(ALL_TYPES, 20, new Random(SEED)));
    Path data = dir.resolve("data.arrow");
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.setLength(f.length() - 100);
    }
    CorruptSegmentException e =
        assertThrows(CorruptSegmentException.class, () -> SegmentManifest.read(dir));
    assertEquals(data, e.file());
    assertTrue(e.getMessage().contains("size"), e.getMessage());
    assertThrows(CorruptSegmentException.class, () -> SegmentFiles.readData(dir, m, ALL_TYPES));
  }

  @Test
  void blockPastTheEndOfAFileWithAMatchingChecksumIsCaught() throws IOException {
    writeSegment(ALL_TYPES, timestamps(20), randomRows(ALL_TYPES, 20, new Random(SEED)));
    Path data = dir.resolve("data.arrow");
    byte[] file = Files.readAllBytes(data);
    ArrowBlock block;
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader reader =
            new ArrowFileReader(new SeekableReadChannel(new ByteArrayReadableSeekableByteChannel(
                file)), allocator)) {
      block = reader.getRecordBlocks().getFirst();
    }
    // The footer lists each block as {offset: int64, metadata length: int32, padding, body
    // length: int64}; point the body past the end of the file, as a faulty writer could, and
    // record the damaged file's checksum so that only the parser can catch it.
    ByteBuffer footer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int at = -1;
    for (int i = file.length - 24; i > block.getOffset() && at < 0; i--) {
      if (footer.getLong(i) == block.getOffset()
          && footer.getInt(i + 8) == block.getMetadataLength()
          && footer.getLong(i + 16) == block.getBodyLength()) {
        at = i;
      }
    }
    assertTrue(at > 0, "the footer lists the block at " + block.getOffset());
    footer.putLong(at + 16, file.length);
    Files.write(data, file);
    SegmentManifest m = new SegmentManifest(7, 20, 1_000, 1_019,
        List.of(SegmentIo.describe(dir, "data.arrow")));
    m.write(dir);
    Executable heap = () -> SegmentFiles.readData(dir, m, ALL_TYPES);
    Executable mapped = () -> {
      try (Arena arena = Arena.ofConfined()) {
        SegmentFiles.mapData(dir, m, ALL_TYPES, arena);
      }
    };
    for (Executable read : List.of(heap, mapped)) {
      CorruptSegmentException e = assertThrows(CorruptSegmentException.class, read);
      assertEquals(data, e.file());
      assertTrue(e.getMessage().contains("does not lie within the file"), e.getMessage());
    }
  }

  @Test
  void missingFilesAreCaught() throws IOException {
    writeSegment(ALL_TYPES, timestamps(5), randomRows(ALL_TYPES, 5, new Random(SEED)));
    Files.delete(dir.resolve("data.arrow"));
    CorruptSegmentException missingData =
        assertThrows(CorruptSegmentException.class, () -> SegmentManifest.read(dir));
    assertEquals(dir.resolve("data.arrow"), missingData.file());

    Files.delete(dir.resolve("manifest"));
    CorruptSegmentException missingManifest =
        assertThrows(CorruptSegmentException.class, () -> SegmentManifest.read(dir));
    assertEquals(dir.resolve("manifest"), missingManifest.file());
  }

  @Test
  void damagedManifestIsCaught() throws IOException {
    writeSegment(ALL_TYPES, timestamps(5), randomRows(ALL_TYPES, 5, new Random(SEED)));
    Path manifest = dir.resolve("manifest");
    String good = Files.readString(manifest);

    Files.writeString(manifest, good.substring(0, good.length() / 2));
    CorruptSegmentException cut =
        assertThrows(CorruptSegmentException.class, () -> SegmentManifest.read(dir));
    assertEquals(manifest, cut.file());

    Files.writeString(manifest, good.replace("\"rowCount\" : 5", "\"rowCount\" : 6"));
    CorruptSegmentException edited =
        assertThrows(CorruptSegmentException.class, () -> SegmentManifest.read(dir));
    assertTrue(edited.getMessage().contains("checksum"), edited.getMessage());

    Files.writeString(manifest, good.replace("\"version\" : 1", "\"version\" : 2"));
    CorruptSegmentException newer =
        assertThrows(CorruptSegmentException.class, () -> SegmentManifest.read(dir));
    assertTrue(newer.getMessage().contains("unsupported version 2"), newer.getMessage());

    Files.writeString(manifest, good);
    SegmentManifest m = SegmentManifest.read(dir);
    SegmentData data = SegmentFiles.readData(dir, m, ALL_TYPES);
    assertEquals(5, data.rows().rowCount());
  }

  @Test
  void manifestListsIndexFilesInSubdirectories() throws IOException {
    SegmentManifest m =
        writeSegment(ALL_TYPES, timestamps(2), randomRows(ALL_TYPES, 2, new Random(SEED)));
    Files.createDirectories(dir.resolve("index-3"));
    Files.writeString(dir.resolve("index-3/graph"), "graph bytes");
    m.withFile(FileInfo.of(dir, "index-3/graph")).write(dir);
    assertTrue(SegmentManifest.read(dir).file("index-3/graph").isPresent());
    Files.writeString(dir.resolve("index-3/graph"), "graph bytez");
    CorruptSegmentException e =
        assertThrows(CorruptSegmentException.class, () -> SegmentManifest.read(dir));
    assertEquals(dir.resolve("index-3/graph"), e.file());
    assertThrows(IllegalArgumentException.class, () -> new FileInfo("../escape", 1, 0));
  }
}
