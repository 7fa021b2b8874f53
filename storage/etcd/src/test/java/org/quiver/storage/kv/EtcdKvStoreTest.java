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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
