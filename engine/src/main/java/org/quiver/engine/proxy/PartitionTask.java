package org.quiver.engine.proxy;

import java.util.regex.Pattern;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * ALTER TABLE ... ADD | DROP PARTITION. Dropping removes the partition's data: its segments leave
 * the catalog (one atomic write) and the disk, the data node drops its buffered rows, the query
 * node lets go of its sealed and growing rows, and rows of it still in the log are skipped when
 * read, as they were written before the partition was created again, if it is.
 */
final class PartitionTask extends Task<Boolean> {
  /** Partition names become folder names: keep them to identifier characters. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

  private final Components c;
  private final String table;
  private final String partition;
  private final boolean add;

  PartitionTask(Components c, String table, String partition, boolean add) {
    this.c = c;
    this.table = table;
    this.partition = partition;
    this.add = add;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Boolean execute() {
    CollectionInfo info = c.collection(table);
    boolean exists = c.meta.hasPartition(info.id(), partition);
    if (add) {
      if (exists) {
        throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT,
            "partition \"%s\" already exists in table \"%s\"", partition, table);
      }
      if (!NAME.matcher(partition).matches()) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "partition name must be letters, digits and _, not starting with a digit; got \"%s\"",
            partition);
      }
      c.meta.savePartition(new PartitionInfo(info.id(), partition, timestamp()));
      c.queryNode.partitionCreated(info.id(), partition);
      return true;
    }
    if (!exists) {
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "partition \"%s\" does not exist in table \"%s\"", partition, table);
    }
    if (partition.equals(PartitionInfo.DEFAULT)) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "the default partition %s of table \"%s\" cannot be dropped", partition, table);
    }
    c.meta.removePartition(info.id(), partition);
    // The data node may have been sealing the partition meanwhile; once it let go of its buffers,
    // a segment it recorded in between is removed by the second (idempotent) removal.
    c.dataNode.partitionDropped(info, partition);
    c.meta.removePartition(info.id(), partition);
    c.queryNode.partitionDropped(info.id(), partition);
    c.segments.deletePartition(info.id(), partition);
    c.forgetPrimaryKeys(info.id());
    return true;
  }
}
