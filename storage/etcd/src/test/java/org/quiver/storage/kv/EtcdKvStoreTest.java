package org.quiver.storage.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.StorageException;
import org.quiver.fixtures.LocalEtcd;

/**
 * The KV contract against a real etcd started for this class. Without etcd the class fails (it
 * does not skip): LocalEtcd's error says how to install it.
 */
class EtcdKvStoreTest extends KvStoreContractTest {
  private static LocalEtcd etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = LocalEtcd.start();
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  /** Each test's temporary directory names its own root prefix, so tests do not see each other. */
  @Override
  protected KvStore open(Path dir) {
    return EtcdKvStore.connect(List.of(etcd.endpoint()), "test/" + dir.getFileName() + "/");
  }

  @Test
  void aClaimIsHeldByOneStoreAndFreedAtClose(@TempDir Path dir) {
    String root = "claims/" + dir.getFileName() + "/";
    try (EtcdKvStore first = EtcdKvStore.connect(List.of(etcd.endpoint()), root);
        EtcdKvStore second = EtcdKvStore.connect(List.of(etcd.endpoint()), root)) {
      first.claimExclusive("owner", "first");
      first.claimExclusive("owner", "first");
      IllegalStateException held = assertThrows(IllegalStateException.class,
          () -> second.claimExclusive("owner", "second", Duration.ofMillis(600)));
      assertTrue(held.getMessage().contains("in use by first"), held.getMessage());
      assertEquals("first", new String(second.get("owner"), StandardCharsets.UTF_8));
      first.close();
      assertNull(second.get("owner"), "closing revokes the claim's lease");
      second.claimExclusive("owner", "second", Duration.ZERO);
      assertEquals("second", new String(second.get("owner"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aSessionKeyGoesWithItsStore(@TempDir Path dir) {
    String root = "sessions/" + dir.getFileName() + "/";
    try (EtcdKvStore node = EtcdKvStore.connect(List.of(etcd.endpoint()), root);
        EtcdKvStore coordinator = EtcdKvStore.connect(List.of(etcd.endpoint()), root)) {
      node.putForSession("session/querynode/a", bytes("127.0.0.1:1"));
      node.putForSession("session/querynode/a", bytes("127.0.0.1:2"));
      assertEquals("127.0.0.1:2", new String(coordinator.get("session/querynode/a"),
          StandardCharsets.UTF_8));
      coordinator.put("catalog/1", bytes("no claim, no fence"));
      node.close();
      assertNull(coordinator.get("session/querynode/a"), "closing revokes the session's lease");
      assertEquals(1, coordinator.scanPrefix("catalog/").size());
    }
  }

  @Test
  void aWatchSeesTheWritesOfAnotherClient(@TempDir Path dir) throws Exception {
    String root = "watch/" + dir.getFileName() + "/";
    try (EtcdKvStore watching = EtcdKvStore.connect(List.of(etcd.endpoint()), root);
        EtcdKvStore writing = EtcdKvStore.connect(List.of(etcd.endpoint()), root)) {
      BlockingQueue<List<KvChange>> seen = new LinkedBlockingQueue<>();
      try (KvWatch watch = watching.watchPrefix("collection/", seen::add)) {
        writing.put("collection/7", bytes("t"));
        writing.delete("collection/7");
        List<KvChange> put = seen.poll(10, TimeUnit.SECONDS);
        assertEquals("collection/7", put.get(0).key());
        assertEquals("t", new String(put.get(0).value(), StandardCharsets.UTF_8));
        assertTrue(seen.poll(10, TimeUnit.SECONDS).get(0).removed());
      }
    }
  }

  @Test
  void aStoreWhoseClaimLapsedMayNotWrite(@TempDir Path dir) {
    String root = "fence/" + dir.getFileName() + "/";
    try (EtcdKvStore stale = EtcdKvStore.connect(List.of(etcd.endpoint()), root);
        EtcdKvStore other = EtcdKvStore.connect(List.of(etcd.endpoint()), root)) {
      stale.claimExclusive("owner", "stale");
      stale.put("catalog/1", bytes("written while owner"));
      // As if the lease had expired: the claim's key goes, and another process claims.
      other.delete("owner");
      other.claimExclusive("owner", "other", Duration.ZERO);
      for (Runnable write : List.<Runnable>of(
          () -> stale.put("catalog/1", bytes("stale")),
          () -> stale.delete("catalog/1"),
          () -> stale.multiSave(java.util.Map.of("catalog/2", bytes("stale")), List.of()))) {
        StorageException e = assertThrows(StorageException.class, write::run);
        assertTrue(e.getMessage().contains("claim on owner lapsed"), e.getMessage());
      }
      assertEquals("written while owner", new String(other.get("catalog/1"),
          StandardCharsets.UTF_8), "nothing the stale store tried went through");
      assertNull(other.get("catalog/2"));
      other.put("catalog/1", bytes("new owner"));
      assertEquals("new owner", new String(stale.get("catalog/1"), StandardCharsets.UTF_8),
          "reads still work");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
