package org.quiver.storage.mq;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RocksMessageQueueTest extends MessageQueueContractTest {

  private long syncsAtStart;

  @Override
  protected MessageQueue open(Path dir) {
    RocksMessageQueue mq = RocksMessageQueue.open(dir);
    syncsAtStart = mq.syncCount();
    return mq;
  }

  @Override
  protected void afterConcurrentProduce(MessageQueue mq, int produceCalls) {
    // Two channel creations plus the produce group commits.
    long syncs = ((RocksMessageQueue) mq).syncCount() - syncsAtStart - 2;
    assertTrue(
        syncs < produceCalls,
        "group commit shared no sync: " + syncs + " syncs for " + produceCalls + " produce calls");
  }

  @Test
  void namesWithSlashesAreRejected() {
    try (MessageQueue mq = open(dir)) {
      assertThrows(IllegalArgumentException.class, () -> mq.createChannel("a/b"));
      assertThrows(IllegalArgumentException.class, () -> mq.createChannel(""));
      mq.createChannel("a");
      assertThrows(IllegalArgumentException.class, () -> mq.savePosition("g/1", "a", 0));
    }
  }

  @Test
  void closedQueueRefusesWork() {
    MessageQueue mq = open(dir);
    mq.close();
    assertThrows(IllegalStateException.class, () -> mq.hasChannel("a"));
    mq.close();
  }
}
