package org.quiver.engine.proxy;

import java.util.List;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.engine.msgstream.MessageCodec;
import org.quiver.engine.rootcoord.CollectionInfo;

/**
 * FLUSH TABLE: writes a flush message behind every earlier write and waits until the data node has
 * sealed and flushed everything before it.
 */
final class FlushTask extends Task<Void> {
  private final Components c;
  private final String name;

  FlushTask(Components c, String name) {
    this.c = c;
    this.name = name;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.MANIPULATION;
  }

  @Override
  Void execute() {
    CollectionInfo info = c.collection(name);
    byte[] payload = MessageCodec.encode(new DmlMessage.Flush(info.id(), timestamp()));
    for (String channel : info.channels()) {
      long id = c.mq.produce(channel, List.of(payload)).get(0);
      c.dataNode.awaitConsumed(channel, id);
    }
    return null;
  }
}
