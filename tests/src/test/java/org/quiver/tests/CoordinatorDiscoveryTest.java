package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.EngineHost;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.cluster.RemoteEngine;
import org.quiver.fixtures.LocalEtcd;
import org.quiver.storage.kv.EtcdKvStore;

/**
 * A proxy given the cluster's catalog store rather than the coordinator's address: the
 * coordinator registers the endpoint it serves proxies on in a real etcd, under its session; the
 * proxy registers its own session and finds the coordinator there, and after the coordinator
 * comes back elsewhere (another port), its next statement but one reaches it there.
 */
class CoordinatorDiscoveryTest {
  private static LocalEtcd etcd;

  @TempDir
  Path dir;

  @BeforeAll
  static void startEtcd() {
    etcd = LocalEtcd.start();
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  private static String catalog(String root) {
    return etcd.endpoint().replace("http://", "etcd://") + "/" + root + "/";
  }

  private static long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT COUNT(*) FROM items")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aProxyFindsItsCoordinatorInTheCatalogStoreAndFollowsItElsewhere() throws Exception {
    String catalog = catalog("discovery");
    try (Engine coordinator = Engine.open(QuiverConfig.at(dir.resolve("coordinator"))
            .withCatalog(URI.create(catalog)));
        EtcdKvStore kv = EtcdKvStore.connect(List.of(etcd.endpoint()), "discovery/")) {
      Properties proxy = new Properties();
      proxy.setProperty("coordinator", catalog);
      SQLException none;
      try (Connection early = DriverManager.getConnection(
          "jdbc:quiver:file:" + dir.resolve("early"), proxy)) {
        none = assertThrows(SQLException.class,
            () -> early.createStatement().execute("SELECT COUNT(*) FROM sys.tables"));
      }
      assertEquals(ErrorCode.CONNECTION_FAILURE.sqlState(), none.getSQLState(), none.getMessage());
      assertTrue(none.getMessage().contains("no coordinator has registered"), none.getMessage());

      EngineHost first = EngineHost.serve(coordinator, "127.0.0.1", 0);
      assertEquals(first.endpoint(), new String(kv.get(Quiver.COORDINATOR_SESSION),
          StandardCharsets.UTF_8), "the coordinator registered where it serves proxies");
      try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir.resolve("proxy"),
          proxy); Statement s = c.createStatement()) {
        assertEquals(1, kv.scanPrefix(RemoteEngine.PROXY_SESSIONS).size(),
            "the proxy registered its session");
        s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
        s.execute("INSERT INTO items VALUES (1, [1, 2]), (2, [3, 4])");
        assertEquals(2, count(c));

        // The coordinator serves proxies elsewhere now (a standby, or a restart on another
        // port): the first statement finds the old address gone, the next the new one.
        int firstPort = first.port();
        first.close();
        try (EngineHost second = EngineHost.serve(coordinator, "127.0.0.1", 0)) {
          assertTrue(second.port() != firstPort);
          SQLException lost = assertThrows(SQLException.class, () -> count(c));
          assertEquals(ErrorCode.CONNECTION_LOST.sqlState(), lost.getSQLState(),
              lost.getMessage());
          assertEquals(2, count(c), "the proxy reached the coordinator at its new address");
          s.execute("INSERT INTO items VALUES (3, [5, 6])");
          assertEquals(3, count(c));
        }
      }
      assertEquals(0, kv.scanPrefix(RemoteEngine.PROXY_SESSIONS).size(),
          "the proxy's session ended with it");
    }
  }

  @Test
  void aProxyWithoutACoordinatorLocationOrWithABadOneIsRefused() {
    QuiverException away = assertThrows(QuiverException.class, () -> Engine.open(
        QuiverConfig.at(dir).withCoordinator("etcd://127.0.0.1:1/nowhere/?timeoutMs=1000")));
    assertEquals(ErrorCode.CONNECTION_FAILURE, away.code(), away.getMessage());
    assertTrue(away.getMessage().contains("etcd://127.0.0.1:1/nowhere/"), away.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> QuiverConfig.at(dir).withCoordinator("not a location"));
    assertNull(QuiverConfig.at(dir).coordinator());
  }
}
