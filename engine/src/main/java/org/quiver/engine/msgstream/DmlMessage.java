package org.quiver.engine.msgstream;

import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.storage.schema.ColumnBatch;

/** A message on a DML channel: rows inserted, keys deleted, or a request to seal and flush. */
public sealed interface DmlMessage extends TsMsg {

  /** Rows inserted at one timestamp into one partition ({@link PartitionInfo#DEFAULT} unless named). */
  record Insert(long collectionId, long timestamp, ColumnBatch rows, String partition)
      implements DmlMessage {
    public Insert {
      partition = partition == null ? PartitionInfo.DEFAULT : partition;
    }

    public Insert(long collectionId, long timestamp, ColumnBatch rows) {
      this(collectionId, timestamp, rows, PartitionInfo.DEFAULT);
    }

    @Override
    public MessageType type() {
      return MessageType.INSERT;
    }
  }

  /** Primary keys deleted at one timestamp. */
  record Delete(long collectionId, long timestamp, Object[] primaryKeys) implements DmlMessage {
    @Override
    public MessageType type() {
      return MessageType.DELETE;
    }
  }

  /** Asks the data node to seal and flush what it buffered so far for the collection. */
  record Flush(long collectionId, long timestamp) implements DmlMessage {
    @Override
    public MessageType type() {
      return MessageType.FLUSH;
    }
  }
}
