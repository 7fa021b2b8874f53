package org.quiver.storage.kv;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RocksKvStoreTest extends KvStoreContractTest {

  @Override
  protected KvStore open(Path dir) {
    return RocksKvStore.open(dir);
  }

  @Test
  void multiSaveRejectsAKeyBothPutAndRemoved() {
    try (KvStore kv = open(dir)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> kv.multiSave(Map.of("k", new byte[] {1}), List.of("k")));
    }
  }
}
