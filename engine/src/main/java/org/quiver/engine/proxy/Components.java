package org.quiver.engine.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.datanode.DataNode;
import org.quiver.engine.msgstream.MsgStream;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.index.IndexNode;
import org.quiver.engine.rootcoord.IdAllocator;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.MessageQueue;

/** What tasks work with: the catalog, the log, the nodes and the scheduler. */
final class Components {
  final MetaTable meta;
  final IdAllocator ids;
  final MessageQueue mq;
  final SegmentStore segments;
  final DataNode dataNode;
  final QueryNode queryNode;
  final TaskScheduler scheduler;
  final IndexCatalog indexes;
  final IndexNode indexNode;
  private final Map<Long, PrimaryKeyIndex> primaryKeys = new ConcurrentHashMap<>();
  /** How far back time travel may read, in milliseconds; set once by the proxy. */
  long retentionMs = org.quiver.engine.api.QuiverConfig.DEFAULT_RETENTION_MS;

  Components(MetaTable meta, IdAllocator ids, MessageQueue mq, SegmentStore segments,
      DataNode dataNode, QueryNode queryNode, TaskScheduler scheduler, IndexCatalog indexes,
      IndexNode indexNode) {
    this.meta = meta;
    this.ids = ids;
    this.mq = mq;
    this.segments = segments;
    this.dataNode = dataNode;
    this.queryNode = queryNode;
    this.scheduler = scheduler;
    this.indexes = indexes;
    this.indexNode = indexNode;
  }

  CollectionInfo collection(String name) {
    return meta.collection(name).orElseThrow(() ->
        QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", name));
  }

  /** The message stream over the collection's DML channels. */
  MsgStream stream(CollectionInfo info) {
    return new MsgStream(mq, info.channels(), info.schema());
  }

  /** The collection's live keys, built on first use. Manipulation queue only. */
  PrimaryKeyIndex primaryKeys(CollectionInfo info) {
    return primaryKeys.computeIfAbsent(info.id(),
        id -> PrimaryKeyIndex.build(info, meta, dataNode.checkpoints(), segments, stream(info)));
  }

  void forgetPrimaryKeys(long collectionId) {
    primaryKeys.remove(collectionId);
  }
}
