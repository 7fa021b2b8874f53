package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.jdbc.VectorText;
import org.quiver.sql.copy.VectorFiles;

/**
 * The scenario of a new user with the stock Avatica driver only: load siftsmall (10,000 x 128)
 * into a server in JDBC batches, check recall@10 of its 100 queries against the ground truth
 * (1.0: the search is exact), kill the server with SIGKILL, restart it, and find every row and
 * the same answers again. Needs {@code shared/datasets/siftsmall}; skipped without it.
 */
class SiftSmallRemoteTest {
  @TempDir
  Path temp;

  @Test
  void siftsmallThroughStockAvaticaSurvivesSigkill() throws Exception {
    Optional<Path> dir = VectorFiles.dataset("siftsmall");
    assumeTrue(dir.isPresent(), "shared/datasets/siftsmall is absent");
    float[][] base = VectorFiles.readFvecs(dir.get().resolve("siftsmall_base.fvecs"));
    float[][] queries = VectorFiles.readFvecs(dir.get().resolve("siftsmall_query.fvecs"));
    int[][] truth = VectorFiles.readIvecs(dir.get().resolve("siftsmall_groundtruth.ivecs"));
    Path data = Files.createDirectory(temp.resolve("data"));

    try (ServerProcess server = ServerProcess.start(data)) {
      try (Connection c = DriverManager.getConnection(server.avaticaUrl())) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE sift (id BIGINT PRIMARY KEY, v VECTOR(128))");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sift VALUES (?, ?)")) {
          for (int i = 0; i < base.length; i++) {
            p.setLong(1, i);
            p.setString(2, VectorText.format(base[i]));
            p.addBatch();
            if ((i + 1) % 1000 == 0) {
              p.executeBatch();
            }
          }
        }
        assertEquals(1.0, recall(c, queries, truth), 1e-9, "recall@10 before the crash");
      }
      server.kill();
    }
    try (ServerProcess server = ServerProcess.start(data);
        Connection c = DriverManager.getConnection(server.avaticaUrl())) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM sift")) {
        rs.next();
        assertEquals(base.length, rs.getLong(1));
        assertEquals(base.length, rs.getLong(2));
      }
      assertEquals(1.0, recall(c, queries, truth), 1e-9, "recall@10 after the restart");
    }
  }

  private static double recall(Connection c, float[][] queries, int[][] truth) throws SQLException {
    int found = 0;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT id FROM sift ORDER BY v <-> ? LIMIT 10")) {
      for (int q = 0; q < queries.length; q++) {
        p.setString(1, VectorText.format(queries[q]));
        Set<Long> expected = new HashSet<>();
        for (int i = 0; i < 10; i++) {
          expected.add((long) truth[q][i]);
        }
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            found += expected.contains(rs.getLong(1)) ? 1 : 0;
          }
        }
      }
    }
    return found / (10.0 * queries.length);
  }
}
