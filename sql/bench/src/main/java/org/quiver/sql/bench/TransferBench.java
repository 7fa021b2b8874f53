package org.quiver.sql.bench;

import com.google.protobuf.Any;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.flight.sql.impl.FlightSql.DoPutUpdateResult;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.quiver.fixtures.GeneratedVectors;
import org.quiver.sql.flight.FlightSqlServer;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerOptions;
import org.quiver.storage.FileTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code quiver bench transfer}: moving vectors in and out, all doors in the same run against one
 * engine. Ingest (durable): Flight SQL bulk ingest (DoPut of Arrow batches: through Arrow Java's
 * own client from generated batches, and from an Arrow IPC file written beforehand through a client
 * that sleeps rather than spins while gRPC's window is full), COPY FROM an fvecs file, JDBC
 * batches embedded and over Avatica. Export: a full-table read through Flight SQL and
 * through JDBC. Vectors are generated (uniform random, fixed seed). Each export row also gives
 * the heap the export kept alive ({@code heap_held_mb}, see {@link HeldHeap}; measured in one
 * more, untimed, export per door), which stays flat as {@code --rows} grows when an export
 * streams. {@code --exports-only}
 * skips the ingest doors (the export table is loaded with COPY), for large exports.
 */
@Command(name = "transfer", description = "Moving vectors in and out against one engine: "
    + "ingest through Flight SQL, COPY and JDBC (embedded, Avatica), export through Flight SQL "
    + "and JDBC.")
final class TransferBench implements Callable<Integer> {
  static final String HEADER = "bench,door,dim,rows,batch,seconds,vectors_per_s,heap_held_mb";
  /** Ingest into an existing table, which must exist. */
  private static final TableDefinitionOptions APPEND = TableDefinitionOptions.newBuilder()
      .setIfExists(TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_APPEND)
      .setIfNotExist(TableDefinitionOptions.TableNotExistOption.TABLE_NOT_EXIST_OPTION_FAIL)
      .build();
  /** How long the Flight file-ingest client sleeps while gRPC's window is full. */
  private static final long READY_POLL_NANOS = 100_000;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "50000",
      description = "vectors per table")
  private int rows;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "10000",
      description = "rows per batch (Flight, COPY, embedded JDBC)")
  private int batch;

  @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
      description = "runs per door, of which the median is reported")
  private int repeats;

  @Option(names = "--exports-only", description = "measure the exports alone")
  private boolean exportsOnly;

  @Option(names = "--doors", paramLabel = "DOOR", split = ",",
      description = "measure only these doors (for example ingest-flight-doput,export-flight); "
          + "default: all")
  private java.util.Set<String> doors;

  @Option(names = "--dims", paramLabel = "N", split = ",", defaultValue = "128,768",
      description = "the dimensions to measure, in turn")
  private int[] dims;

  /** Every door, by the name its CSV rows carry. */
  private static final List<String> DOORS = List.of("ingest-flight-doput", "ingest-flight-file",
      "ingest-copy-fvecs", "ingest-jdbc-embedded", "ingest-jdbc-avatica", "export-flight",
      "export-jdbc-embedded", "export-jdbc-avatica");

  @Spec
  private CommandSpec spec;
  private Path dir;
  private String embeddedUrl;
  private QuiverServer avatica;
  private FlightSqlServer flight;
  private BufferAllocator allocator;

  @Override
  public Integer call() throws Exception {
    if (doors != null && !DOORS.containsAll(doors)) {
      throw new ParameterException(spec.commandLine(), "unknown door in --doors " + doors
          + "; the doors are " + DOORS);
    }
    dir = Files.createTempDirectory("quiver-transfer-");
    Path data = dir.resolve("data");
    embeddedUrl = "jdbc:quiver:file:" + data.toAbsolutePath().normalize();
    ServerOptions options = ServerOptions.of(data, "127.0.0.1", 0);
    avatica = QuiverServer.start(options);
    flight = FlightSqlServer.start(options, 0);
    allocator = new RootAllocator();
    try {
      System.out.println(HEADER);
      for (int dim : dims) {
        run(dim);
      }
    } finally {
      close();
    }
    return 0;
  }

  private void run(int dim) throws Exception {
    Path fvecs = dir.resolve("bench-" + dim + ".fvecs");
    writeFvecs(fvecs, dim);
    Path arrow = dir.resolve("bench-" + dim + ".arrow");
    writeArrow(arrow, dim);
    try (Connection c = DriverManager.getConnection(embeddedUrl);
        Connection remote = DriverManager.getConnection(avatica.url())) {
      Map<String, Load> ingest = new java.util.LinkedHashMap<>();
      ingest.put("ingest-flight-doput", table -> flightIngest(table, dim));
      ingest.put("ingest-flight-file", table -> flightFileIngest(table, arrow));
      ingest.put("ingest-copy-fvecs", table -> {
        try (Statement s = c.createStatement()) {
          s.execute("COPY " + table + " FROM '" + fvecs + "' WITH (batch_rows = " + batch + ")");
        }
      });
      ingest.put("ingest-jdbc-embedded", table -> jdbcIngest(c, table, dim, batch));
      ingest.put("ingest-jdbc-avatica", table -> jdbcIngest(remote, table, dim, 1000));
      ingest.keySet().removeIf(door -> !measures(door));
      Map<String, double[]> seconds = new java.util.LinkedHashMap<>();
      // Round robin over the doors, so that background work (segment flushes of the tables
      // written before) and a noisy machine weigh on all of them alike.
      for (int r = 0; r < (exportsOnly ? 0 : repeats); r++) {
        for (Map.Entry<String, Load> door : ingest.entrySet()) {
          String table = door.getKey().replace('-', '_') + "_" + dim + "_" + r;
          create(c, table, dim);
          long start = System.nanoTime();
          door.getValue().into(table);
          double s = (System.nanoTime() - start) / 1e9;
          seconds.computeIfAbsent(door.getKey(), k -> new double[repeats])[r] = s;
          System.err.printf(Locale.ROOT, "  %s %d-d: %.0f vectors/s%n", door.getKey(), dim,
              rows / s);
        }
      }
      for (String door : seconds.keySet()) {
        double s = median(seconds.get(door));
        print(door, dim, door.equals("ingest-jdbc-avatica") ? 1000 : batch, s, rows / s, -1);
      }
      String table = "export_" + dim;
      create(c, table, dim);
      try (Statement s = c.createStatement()) {
        s.execute("COPY " + table + " FROM '" + fvecs + "'");
        // The first read after the load waits for its segments to be mapped; no door pays that.
        try (ResultSet count = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
          count.next();
        }
      }
      Map<String, Read> export = new java.util.LinkedHashMap<>();
      export.put("export-flight", () -> flightExport(table, dim));
      export.put("export-jdbc-embedded", () -> jdbcExport(c, table));
      export.put("export-jdbc-avatica", () -> jdbcExport(remote, table));
      export.keySet().removeIf(door -> !measures(door));
      Map<String, double[]> exportSeconds = new java.util.LinkedHashMap<>();
      Map<String, Long> heapHeld = new java.util.HashMap<>();
      for (int r = 0; r < repeats; r++) {
        for (Map.Entry<String, Read> door : export.entrySet()) {
          long start = System.nanoTime();
          long n = door.getValue().all();
          double s = (System.nanoTime() - start) / 1e9;
          if (n != rows) {
            throw new IllegalStateException(door.getKey() + " read " + n + " rows, expected "
                + rows);
          }
          exportSeconds.computeIfAbsent(door.getKey(), k -> new double[repeats])[r] = s;
          System.err.printf(Locale.ROOT, "  %s %d-d: %.0f vectors/s%n", door.getKey(), dim,
              rows / s);
        }
      }
      for (Map.Entry<String, Read> door : export.entrySet()) {
        try (HeldHeap held = new HeldHeap()) {
          door.getValue().all();
          heapHeld.put(door.getKey(), held.bytes());
        }
      }
      for (String door : export.keySet()) {
        double s = median(exportSeconds.get(door));
        print(door, dim, 0, s, rows / s, heapHeld.get(door));
      }
    }
    Files.delete(fvecs);
  }

  private boolean measures(String door) {
    return doors == null || doors.contains(door);
  }

  private interface Load {
    void into(String table) throws Exception;
  }

  private interface Read {
    long all() throws Exception;
  }

  /** One CSV row; {@code heapHeldBytes} negative: not measured (ingest). */
  private void print(String door, int dim, int batchRows, double seconds, double rate,
      long heapHeldBytes) {
    System.out.printf(Locale.ROOT, "transfer,%s,%d,%d,%s,%.2f,%.0f,%s%n", door, dim, rows,
        batchRows == 0 ? "" : Integer.toString(batchRows), seconds, rate,
        heapHeldBytes < 0 ? "" : String.format(Locale.ROOT, "%.0f", heapHeldBytes / 1e6));
    System.out.flush();
  }

  private static void create(Connection c, String table, int dim) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VECTOR(" + dim + "))");
    }
  }

  /** The generated vector of row {@code id}, the same for every door. */
  private static void vector(long id, float[] into) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(id * 0x9E3779B97F4A7C15L);
    for (int j = 0; j < into.length; j++) {
      into[j] = (float) random.nextDouble();
    }
  }

  private void writeFvecs(Path file, int dim) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Integer.BYTES + dim * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[dim];
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (long id = 0; id < rows; id++) {
        vector(id, v);
        buf.clear();
        buf.putInt(dim);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
      }
    }
  }

  private void jdbcIngest(Connection c, String table, int dim, int size) throws SQLException {
    float[] v = new float[dim];
    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
      for (int i = 0; i < rows; i++) {
        vector(i, v);
        p.setLong(1, i);
        p.setObject(2, v.clone());
        p.addBatch();
        if ((i + 1) % size == 0 || i == rows - 1) {
          p.executeBatch();
        }
      }
    }
  }

  private long jdbcExport(Connection c, String table) throws SQLException {
    long n = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, v FROM " + table)) {
      while (rs.next()) {
        rs.getLong(1);
        if (rs.getObject(2) == null) {
          throw new IllegalStateException("null vector");
        }
        n++;
      }
    }
    return n;
  }

  private FlightSqlClient flightClient(FlightClient client) {
    return new FlightSqlClient(client);
  }

  /**
   * Flight SQL's bulk ingest as Arrow Java's own client does it ({@code executeIngest}, which ADBC's
   * Flight SQL driver for Java uses too), the batches generated as they are sent: the door whose
   * figure earlier runs reported under this name.
   */
  private void flightIngest(String table, int dim) throws Exception {
    Location location = Location.forGrpcInsecure("127.0.0.1", flight.port());
    try (FlightClient client = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = flightClient(client);
        GeneratedVectors source = new GeneratedVectors(allocator, 0, rows, dim, batch,
            TransferBench::vector)) {
      long n = sql.executeIngest(source,
          new FlightSqlClient.ExecuteIngestOptions(table, APPEND, null, null, Map.of()));
      if (n != rows) {
        throw new IllegalStateException("Flight ingest wrote " + n + " rows, expected " + rows);
      }
    }
  }

  /**
   * Sends the batches of an Arrow IPC file through Flight SQL's bulk ingest, as a client loads a
   * file it holds: generating the vectors is not timed, as writing the fvecs file for COPY is not.
   *
   * <p>The DoPut is written out rather than taken from {@code FlightSqlClient.executeIngest}:
   * Arrow Java's put stream busy-waits for gRPC's readiness before each batch, so on a machine
   * shared with the server that client spends a core spinning whenever the server is the slower
   * side, and the figure would measure the spin. This client sleeps between readiness checks
   * instead, as a client on its own machine costs the server nothing while it waits (gRPC lets
   * an on-ready handler be set only before the call starts, which Flight's client does itself).
   */
  private void flightFileIngest(String table, Path arrow) throws Exception {
    Location location = Location.forGrpcInsecure("127.0.0.1", flight.port());
    CommandStatementIngest command = CommandStatementIngest.newBuilder()
        .setTable(table)
        .setTableDefinitionOptions(APPEND)
        .build();
    try (FlightClient client = FlightClient.builder(allocator, location).build();
        FileChannel file = FileChannel.open(arrow);
        ArrowFileReader source = new ArrowFileReader(file, allocator)) {
      SyncPutListener ack = new SyncPutListener();
      FlightClient.ClientStreamListener put = client.startPut(
          FlightDescriptor.command(Any.pack(command).toByteArray()),
          source.getVectorSchemaRoot(), ack);
      while (source.loadNextBatch()) {
        while (!put.isReady()) {
          LockSupport.parkNanos(READY_POLL_NANOS);
        }
        put.putNext();
      }
      put.completed();
      long n;
      try (PutResult result = ack.read()) {
        n = DoPutUpdateResult.parseFrom(result.getApplicationMetadata().nioBuffer())
            .getRecordCount();
      }
      put.getResult();
      if (n != rows) {
        throw new IllegalStateException("Flight ingest wrote " + n + " rows, expected " + rows);
      }
    }
  }

  /** The rows of the fvecs file as an Arrow IPC file of {@code --batch}-row record batches. */
  private void writeArrow(Path arrow, int dim) throws IOException {
    try (GeneratedVectors source = new GeneratedVectors(allocator, 0, rows, dim, batch,
            TransferBench::vector);
        FileChannel file = FileChannel.open(arrow, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        ArrowFileWriter writer = new ArrowFileWriter(source.getVectorSchemaRoot(), null, file)) {
      writer.start();
      while (source.loadNextBatch()) {
        writer.writeBatch();
      }
      writer.end();
    }
  }

  private long flightExport(String table, int dim) throws Exception {
    Location location = Location.forGrpcInsecure("127.0.0.1", flight.port());
    long n = 0;
    try (FlightClient client = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = flightClient(client)) {
      FlightInfo info = sql.execute("SELECT id, v FROM " + table);
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket())) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          if (((FixedSizeListVector) root.getVector(1)).getListSize() != dim) {
            throw new IllegalStateException("wrong dimension");
          }
          n += root.getRowCount();
        }
      }
    }
    return n;
  }

  /** The generated rows as Arrow batches of {@code batch} rows. */


  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private void close() throws IOException {
    try {
      flight.close();
      avatica.close();
      allocator.close();
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }
}
