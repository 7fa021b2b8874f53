package org.quiver.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.quiver.jdbc.VectorText;
import org.quiver.sql.copy.VectorFiles;

/**
 * siftsmall (10,000 x 128, 100 queries with their exact top 100) as the end-to-end tests use it
 * through a JDBC driver: loaded into a table {@code sift} in batches of 1,000 rows, and searched
 * for recall@10. Vectors go as text, which every driver (the stock Avatica one too) can send.
 */
record SiftSmall(float[][] base, float[][] queries, int[][] truth) {

  /** The dataset from {@code shared/datasets/siftsmall}, if it is there. */
  static Optional<SiftSmall> find() throws IOException {
    Optional<Path> dir = VectorFiles.dataset("siftsmall");
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SiftSmall(
        VectorFiles.readFvecs(dir.get().resolve("siftsmall_base.fvecs")),
        VectorFiles.readFvecs(dir.get().resolve("siftsmall_query.fvecs")),
        VectorFiles.readIvecs(dir.get().resolve("siftsmall_groundtruth.ivecs"))));
  }

  /** Creates table {@code sift} and inserts every base vector, its row number as its id. */
  void load(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE sift (id BIGINT PRIMARY KEY, v VECTOR(128))");
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO sift VALUES (?, ?)")) {
      for (int i = 0; i < base.length; i++) {
        p.setLong(1, i);
        p.setString(2, VectorText.format(base[i]));
        p.addBatch();
        if ((i + 1) % 1000 == 0 || i == base.length - 1) {
          p.executeBatch();
        }
      }
    }
  }

  /** recall@10 of every query. */
  double recall(Connection c) throws SQLException {
    return hits(c, 0, queries.length) / (10.0 * queries.length);
  }

  /** How many of the true 10 nearest the searches of queries [from, to) found. */
  int hits(Connection c, int from, int to) throws SQLException {
    int found = 0;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT id FROM sift ORDER BY v <-> ? LIMIT 10")) {
      for (int q = from; q < to; q++) {
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
    return found;
  }
}
