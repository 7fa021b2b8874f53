package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    Optional<SiftSmall> sift = SiftSmall.find();
    assumeTrue(sift.isPresent(), "shared/datasets/siftsmall is absent");
    int rows = sift.get().base().length;
    Path data = Files.createDirectory(temp.resolve("data"));

    try (ServerProcess server = ServerProcess.start(data)) {
      try (Connection c = DriverManager.getConnection(server.avaticaUrl())) {
        sift.get().load(c);
        assertEquals(1.0, sift.get().recall(c), 1e-9, "recall@10 before the crash");
      }
      server.kill();
    }
    try (ServerProcess server = ServerProcess.start(data);
        Connection c = DriverManager.getConnection(server.avaticaUrl())) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM sift")) {
        rs.next();
        assertEquals(rows, rs.getLong(1));
        assertEquals(rows, rs.getLong(2));
      }
      assertEquals(1.0, sift.get().recall(c), 1e-9, "recall@10 after the restart");
    }
  }
}
