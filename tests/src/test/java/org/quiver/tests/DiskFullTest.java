package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the engine on a small file system (a 64 MB tmpfs, which needs a machine that lets the test
 * mount one: root, or a container with that right; skipped elsewhere), fills it during ingest and
 * checks that writes fail at once with 53100 naming the path, reads keep answering, FLUSH and DDL
 * fail instead of hanging, and that once space is freed the data node resumes and every
 * acknowledged row is there, also after a restart. Start-up on a nearly full disk is refused with
 * 53100 saying why.
 */
class DiskFullTest {
  private static final int DIM = 1024;
  private static final int BATCH = 100;
  /** Attempts, half a second apart, for the engine to notice that space came back. */
  private static final int RESUME_ATTEMPTS = 60;

  @TempDir
  Path temp;

  @Test
  void aFullDiskFailsWritesAtOnceAndLosesNothing() throws Exception {
    Path disk = Files.createDirectory(temp.resolve("disk"));
    assumeTrue(mountTmpfs(disk, "64m"),
        "skipped: this machine does not let the test mount a 64 MB tmpfs at " + disk
            + " (needs root or CAP_SYS_ADMIN)");
    try {
      run(disk);
    } finally {
      new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
    }
  }

  private void run(Path disk) throws Exception {
    Path data = disk.resolve("data");
    String url = "jdbc:quiver:file:" + data;
    Properties props = new Properties();
    props.setProperty("sealRows", "2000");
    Path filler = disk.resolve("filler");
    int acknowledged = 0;
    try (Connection c = DriverManager.getConnection(url, props);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE full_disk (id BIGINT PRIMARY KEY, v VECTOR(" + DIM + "))");
      acknowledged += insertBatches(c, acknowledged, 10);
      fill(filler, Files.getFileStore(disk).getUsableSpace() - (2L << 20));

      SQLException full = null;
      while (full == null) {
        try {
          acknowledged += insertBatches(c, acknowledged, 1);
        } catch (SQLException e) {
          full = e;
        }
      }
      assertEquals("53100", full.getSQLState(), full.getMessage());
      assertTrue(full.getMessage().contains(disk.toString()), full.getMessage());
      SQLException again = assertThrows(SQLException.class, () -> insertBatches(c, 1_000_000, 1));
      assertEquals("53100", again.getSQLState(), again.getMessage());

      assertEquals(acknowledged, count(s), "a strong read answers on a full disk");
      SQLException flush = assertThrows(SQLException.class, () -> s.execute("FLUSH TABLE full_disk"));
      assertEquals("53100", flush.getSQLState(), flush.getMessage());
      SQLException ddl = assertThrows(SQLException.class,
          () -> s.execute("CREATE TABLE another (id BIGINT PRIMARY KEY, v VECTOR(2))"));
      assertEquals("53100", ddl.getSQLState(), ddl.getMessage());
      assertEquals(acknowledged, count(s), "reads still answer after the failed writes");

      Files.delete(filler);
      flushOnceSpaceIsBack(s);
      acknowledged += insertBatches(c, acknowledged, 2);
      s.execute("FLUSH TABLE full_disk");
      assertEquals(acknowledged, count(s));
    }
    try (Connection c = DriverManager.getConnection(url, props);
        Statement s = c.createStatement()) {
      assertEquals(acknowledged, count(s), "every acknowledged row after a restart");
      try (ResultSet rs = s.executeQuery(
          "SELECT COUNT(DISTINCT id), MIN(id), MAX(id) FROM full_disk")) {
        rs.next();
        assertEquals(acknowledged, rs.getLong(1), "no row twice");
        assertEquals(0, rs.getLong(2));
        assertEquals(acknowledged - 1, rs.getLong(3));
      }
    }
    fill(filler, Files.getFileStore(disk).getUsableSpace() - (8L << 20));
    SQLException start = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(url, props).close());
    assertEquals("53100", start.getSQLState(), start.getMessage());
    assertTrue(start.getMessage().contains("cannot start"), start.getMessage());
  }

  /** Inserts {@code batches} batches of ids from {@code firstId} on; returns the rows inserted. */
  private static int insertBatches(Connection c, int firstId, int batches) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO full_disk VALUES (?, ?)")) {
      for (int b = 0; b < batches; b++) {
        for (int i = 0; i < BATCH; i++) {
          int id = firstId + b * BATCH + i;
          float[] v = new float[DIM];
          v[id % DIM] = id;
          p.setLong(1, id);
          p.setObject(2, v);
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    return batches * BATCH;
  }

  private static void flushOnceSpaceIsBack(Statement s) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        s.execute("FLUSH TABLE full_disk");
        return;
      } catch (SQLException e) {
        assertEquals("53100", e.getSQLState(), e.getMessage());
        if (attempt == RESUME_ATTEMPTS) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static long count(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM full_disk")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Writes a file of about {@code bytes} bytes, or until the disk is full. */
  private static void fill(Path file, long bytes) throws IOException {
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < bytes; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
      }
    } catch (IOException e) {
      if (!e.getMessage().contains("No space left")) {
        throw e;
      }
    }
  }

  private static boolean mountTmpfs(Path dir, String size) {
    try {
      Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
          dir.toString()).redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
