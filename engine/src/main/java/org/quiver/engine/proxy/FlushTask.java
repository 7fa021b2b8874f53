package org.quiver.engine.proxy;

import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.engine.msgstream.MsgPack;
import org.quiver.engine.msgstream.MsgPosition;

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
    MsgPack written = c.stream(info).broadcast(new DmlMessage.Flush(info.id(), timestamp()));
    for (MsgPosition position : written.endPositions()) {
      c.dataNode.awaitConsumed(position.channel(), position.messageId());
    }
    return null;
  }
}
