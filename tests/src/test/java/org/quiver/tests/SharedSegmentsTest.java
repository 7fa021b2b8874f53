package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.fixtures.LocalEtcd;
import org.quiver.fixtures.LocalS3;
import org.quiver.storage.FileTrees;
import org.quiver.storage.object.ObjectEntry;
import org.quiver.storage.object.S3ObjectStore;
import org.quiver.storage.object.S3Settings;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An engine whose catalog is in a real etcd and whose segment and index files are in a real S3
 * server ({@code segments} connection property): every segment and index the catalog lists is in
 * the bucket, a data folder whose local segments are gone answers the same from the bucket, an
 * object damaged in the bucket fails the read with XX001 naming the file rather than answer, and
 * DROP TABLE removes the table's objects.
 */
class SharedSegmentsTest {
  private static final int ROWS = 300;
  private static LocalEtcd etcd;
  private static LocalS3 s3;

  @TempDir Path dir;

  @BeforeAll
  static void startServices() {
    etcd = LocalEtcd.start();
    s3 = LocalS3.start();
  }

  @AfterAll
  static void stopServices() {
    if (s3 != null) {
      s3.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private static S3Settings settings(String prefix) {
    return S3Settings.builder(s3.bucket()).endpoint(s3.endpoint()).region(s3.region())
        .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).prefix(prefix).build();
  }

  private static String segments(String prefix) {
    return s3.location(prefix);
  }

  private static Connection connect(Path data, String root) throws SQLException {
    Properties info = new Properties();
    info.setProperty("catalog", etcd.endpoint().replace("http://", "etcd://") + "/" + root + "/");
    info.setProperty("segments", segments(root + "/"));
    info.setProperty("retentionMs", "0");
    return DriverManager.getConnection("jdbc:quiver:file:" + data, info);
  }

  private static List<String> keys(String prefix) {
    try (S3ObjectStore store = S3ObjectStore.open(settings(prefix))) {
      return store.list("").stream().map(ObjectEntry::key).toList();
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i == 1 ? "" : " | ").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** The answers the test compares before and after the local segments are gone. */
  private static List<List<String>> answers(Statement s) throws SQLException {
    return List.of(
        rows(s, "SELECT id, tag, v FROM items ORDER BY id"),
        rows(s, "SELECT id FROM items ORDER BY v <-> [17, 1, 0, 0] LIMIT 5"),
        rows(s, "SELECT id FROM items WHERE tag = 't3' ORDER BY v <-> [100, 1, 0, 0] LIMIT 3"),
        rows(s, "SELECT COUNT(*) FROM items"));
  }

  private static void awaitIndexBuilt(Statement s) throws Exception {
    for (int attempt = 0; attempt < 600; attempt++) {
      try (ResultSet rs = s.executeQuery(
          "SELECT indexed_rows, total_rows FROM sys.indexes WHERE table_name = 'items'")) {
        rs.next();
        if (rs.getLong(1) == rs.getLong(2) && rs.getLong(2) > 0) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the index of items was not built");
  }

  /** Makes the table, flushed in two segments with a delete, and its HNSW index; its answers. */
  private static List<List<String>> fill(Path data, String root) throws Exception {
    try (Connection c = connect(data, root); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, tag VARCHAR, v VECTOR(4))");
      for (int part = 0; part < 2; part++) {
        StringBuilder insert = new StringBuilder("INSERT INTO items VALUES ");
        for (int i = part * ROWS / 2; i < (part + 1) * ROWS / 2; i++) {
          insert.append(i == part * ROWS / 2 ? "" : ", ").append("(").append(i).append(", 't")
              .append(i % 7).append("', [").append(i).append(", 1, ").append(i % 3)
              .append(", 0])");
        }
        s.execute(insert.toString());
        s.execute("DELETE FROM items WHERE id = " + (part * ROWS / 2 + 5));
        s.execute("FLUSH TABLE items");
      }
      s.execute("CREATE INDEX items_v ON items USING HNSW (v) WITH (metric = 'l2')");
      awaitIndexBuilt(s);
      return answers(s);
    }
  }

  private static List<Path> segmentFolders(Path data) throws Exception {
    try (Stream<Path> walk = Files.walk(data.resolve("segments"))) {
      return walk.filter(p -> p.getFileName().toString().equals("manifest")
              && !p.getParent().getFileName().toString().startsWith("index-"))
          .map(Path::getParent).sorted().toList();
    }
  }

  @Test
  void aDataFolderWithoutItsSegmentsAnswersTheSameFromS3() throws Exception {
    Path data = dir.resolve("data");
    List<List<String>> before = fill(data, "cache");
    assertEquals(String.valueOf(ROWS - 2), before.get(3).get(0));

    // Every file of every segment and index folder is in the bucket under its relative path.
    List<String> keys = keys("cache/");
    List<Path> folders = segmentFolders(data);
    assertEquals(2, folders.size(), folders.toString());
    for (Path folder : folders) {
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String key = data.relativize(f).toString().replace('\\', '/');
          assertTrue(keys.contains(key), key + " is in the bucket: " + keys);
        }
      }
      assertTrue(keys.stream().anyMatch(k -> k.startsWith(data.relativize(folder) + "/index-")
          && k.endsWith("/manifest")), "the index of " + folder + " is in the bucket: " + keys);
    }

    FileTrees.deleteRecursively(data.resolve("segments"));
    try (Connection c = connect(data, "cache"); Statement s = c.createStatement()) {
      assertEquals(before, answers(s), "the same rows and neighbours from the downloaded files");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sys.damage")) {
        rs.next();
        assertEquals(0, rs.getLong(1));
      }
    }
    assertEquals(folders, segmentFolders(data), "the segments are cached again");
    for (Path folder : folders) {
      try (Stream<Path> list = Files.list(folder)) {
        assertTrue(list.anyMatch(p -> p.getFileName().toString().startsWith("index-")
                && Files.exists(p.resolve("manifest"))),
            "the index of " + folder + " was fetched to be searched");
      }
    }
    assertFalse(Files.exists(data.resolve("segments.partial"))
        && Files.list(data.resolve("segments.partial")).findAny().isPresent(),
        "no download left half done");

    // Compaction's output goes up before it is swapped in, and what it replaced is deleted; a
    // dropped partition's objects go with it.
    try (Connection c = connect(data, "cache"); Statement s = c.createStatement()) {
      s.execute("COMPACT TABLE items");
      assertEquals(before, answers(s));
      s.execute("ALTER TABLE items ADD PARTITION p1");
      s.execute("INSERT INTO items /*+ partitions(p1) */ VALUES (1000, 'x', [1000, 1, 0, 0])");
      s.execute("FLUSH TABLE items");
      assertTrue(keys("cache/").stream().anyMatch(k -> k.contains("/p1/")
          && k.endsWith("/manifest")), keys("cache/").toString());
      s.execute("ALTER TABLE items DROP PARTITION p1");
      assertEquals(List.of(), keys("cache/").stream().filter(k -> k.contains("/p1/")).toList());
      assertEquals(before, answers(s));
    }
    List<Path> merged = segmentFolders(data);
    assertTrue(merged.size() < folders.size(), "compacted: " + merged);
    assertEquals(merged.stream().map(f -> data.relativize(f).toString().replace('\\', '/'))
            .sorted().toList(),
        keys("cache/").stream().filter(k -> k.endsWith("/manifest") && !k.contains("/index-"))
            .map(k -> k.substring(0, k.length() - "/manifest".length())).sorted().toList(),
        "the bucket holds the merged segment and not the ones it replaced");
    FileTrees.deleteRecursively(data.resolve("segments"));
    try (Connection c = connect(data, "cache"); Statement s = c.createStatement()) {
      assertEquals(before, answers(s), "the merged segment and its index from the bucket");
    }

    try (Connection c = connect(data, "cache"); Statement s = c.createStatement()) {
      s.execute("DROP TABLE items");
      // Purged by the next DDL once the (zero) retention window has passed.
      Thread.sleep(5);
      s.execute("CREATE TABLE other (id BIGINT PRIMARY KEY)");
    }
    assertEquals(List.of(), keys("cache/").stream().filter(k -> k.startsWith("segments/"))
        .toList(), "DROP TABLE removed the table's objects");
    assertFalse(Files.exists(merged.get(0)));
  }

  @Test
  void anObjectDamagedInTheBucketFailsTheReadNamingTheFile() throws Exception {
    Path data = dir.resolve("data");
    fill(data, "rot");
    Path folder = segmentFolders(data).get(0);
    String key = data.relativize(folder.resolve("data.arrow")).toString().replace('\\', '/');
    FileTrees.deleteRecursively(data.resolve("segments"));

    // Bit rot under the server: the bytes change and the recorded CRC32C stays.
    S3Settings settings = settings("rot/");
    try (S3Client client = S3ObjectStore.client(settings)) {
      ResponseBytes<GetObjectResponse> object =
          client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key("rot/" + key));
      byte[] bytes = object.asByteArray();
      bytes[bytes.length / 2] ^= 0x10;
      Map<String, String> metadata = object.response().metadata();
      client.putObject(b -> b.bucket(settings.bucket()).key("rot/" + key).metadata(metadata),
          RequestBody.fromBytes(bytes));
    }
    try (Connection c = connect(data, "rot"); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> rows(s, "SELECT COUNT(*) FROM items"));
      assertEquals("XX001", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains(key), "names the object: " + e.getMessage());
      assertTrue(e.getMessage().contains(folder.resolve("data.arrow").toString()),
          "names the file: " + e.getMessage());
    }
    assertFalse(Files.exists(folder.resolve("manifest")), "nothing half downloaded is cached");

    // Changed bytes stored whole through the store, which records their own checksum: the
    // download checks out, and the manifest's CRC32C of the file still tells.
    try (S3Client client = S3ObjectStore.client(settings);
        S3ObjectStore store = S3ObjectStore.open(settings)) {
      byte[] rotten = client.getObjectAsBytes(
          b -> b.bucket(settings.bucket()).key("rot/" + key)).asByteArray();
      store.put(key, rotten);
      assertEquals(rotten.length, store.getBytes(key).length, "the object itself is sound now");
    }
    try (Connection c = connect(data, "rot"); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> rows(s, "SELECT COUNT(*) FROM items"));
      assertEquals("XX001", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains(folder.resolve("data.arrow").toString()),
          "names the file: " + e.getMessage());
    }
  }

  @Test
  void whileTheLogIsLocalTheCatalogStaysBoundToItsDataFolder() throws Exception {
    try (Connection c = connect(dir.resolve("first"), "bound"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
    }
    // The segments are in the bucket, but the log is RocksMQ in the first folder: a new folder
    // would not find the rows that are only in the log.
    SQLException e = assertThrows(SQLException.class,
        () -> connect(dir.resolve("second"), "bound").close());
    assertEquals("55000", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("describes the data folder"), e.getMessage());
  }

  @Test
  void aSegmentsLocationThatCannotBeUsedFailsTheConnection() throws Exception {
    String catalog = etcd.endpoint().replace("http://", "etcd://") + "/refused/";
    Map<String, String> expected = Map.of(
        "not a location", "22023",
        "gs://bucket/p", "0A000",
        "s3://" + s3.bucket() + "/p?endpoint=" + s3.endpoint() + "&colour=red", "22023");
    for (Map.Entry<String, String> c : expected.entrySet()) {
      Properties info = new Properties();
      info.setProperty("catalog", catalog);
      info.setProperty("segments", c.getKey());
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
          "jdbc:quiver:file:" + dir.resolve("refused"), info).close());
      assertEquals(c.getValue(), e.getSQLState(), c.getKey() + ": " + e.getMessage());
    }
    Properties malformed = new Properties();
    malformed.setProperty("segments", "s3:bucket?secretKey=very-secret");
    SQLException noServer = assertThrows(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:quiver:file:" + dir.resolve("malformed"), malformed).close());
    assertEquals("22023", noServer.getSQLState(), noServer.getMessage());
    assertTrue(noServer.getMessage().contains("segments"), noServer.getMessage());
    assertFalse(noServer.getMessage().contains("very-secret"), noServer.getMessage());
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Properties info = new Properties();
    info.setProperty("segments", "s3://b/p?endpoint=http://127.0.0.1:" + closedPort
        + "&pathStyle=true&accessKey=a&secretKey=very-secret");
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:quiver:file:" + dir.resolve("unreachable"), info).close());
    assertEquals("08001", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("s3://b/p"), "names the location: " + e.getMessage());
    assertFalse(e.getMessage().contains("very-secret"), "but not its secret: " + e.getMessage());
  }
}
