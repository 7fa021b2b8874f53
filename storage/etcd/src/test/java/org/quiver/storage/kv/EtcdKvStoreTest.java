package org.quiver.storage.kv;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
}
