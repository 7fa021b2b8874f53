package org.quiver.engine.proxy;

import java.time.Instant;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.rootcoord.Tso;

/**
 * A k-NN search or a scan. Its consistency level gives it a guarantee timestamp; it waits until the
 * query node's tSafe has reached it, then reads at its own timestamp (or, with time travel, at the
 * time asked for).
 *
 * <p>Waiting is event driven: once no manipulation task below the guarantee is unfinished (Milvus's
 * {@code TaskDoneTest}), the tick at the guarantee is due, and the search applies it to the query
 * node itself rather than waiting for the ticker's thread. So a STRONG read right after an
 * acknowledged write costs no thread hand-off.
 */
final class SearchTask<T> extends Task<T> {
  private static final long LOGICAL_MAX = (1L << Tso.LOGICAL_BITS) - 1;
  private final Components c;
  private final String table;
  private final String kind;
  private final Read<T> read;
  private final ReadOptions options;

  /** What the task reads from the query node once the table and the read timestamp are fixed. */
  private interface Read<T> {
    T at(CollectionInfo info, long readTs);
  }

  private SearchTask(Components c, String table, String kind, Read<T> read,
      ReadOptions options) {
    this.c = c;
    this.table = table;
    this.kind = kind;
    this.read = read;
    this.options = options;
  }

  static SearchTask<ResultRows> search(Components c, SearchRequest request,
      ReadOptions options) {
    return new SearchTask<>(c, request.collection(), "Search",
        (info, readTs) -> c.queryNode.search(info, request, readTs), options);
  }

  static SearchTask<ResultRows> query(Components c, QueryRequest request, ReadOptions options) {
    return new SearchTask<>(c, request.collection(), "Query",
        (info, readTs) -> c.queryNode.query(info, request, readTs), options);
  }

  /** A scan whose rows are read after the task, as the caller takes them. */
  static SearchTask<RowStream> scan(Components c, QueryRequest request, ReadOptions options) {
    return new SearchTask<>(c, request.collection(), "Query",
        (info, readTs) -> c.queryNode.scan(info, request, readTs), options);
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.QUERY;
  }

  @Override
  String describe() {
    return kind + " " + table;
  }

  @Override
  T execute() {
    long readTs = timestamp();
    long guarantee;
    if (options.timeTravel()) {
      readTs = travelTimestamp(table);
      guarantee = readTs;
      c.scheduler.awaitTaskDone(guarantee);
      CollectionInfo version = version(table, readTs);
      if (c.meta.collection(version.id()).isEmpty()) {
        // A dropped table kept for time travel: its sealed segments and log tail, loaded on
        // first read and held until the purge; nothing is written to it any more.
        c.queryNode.loadRetained(c.meta.dropped(version.id()).orElseThrow(() -> missing(table)));
        return read.at(version, readTs);
      }
    } else {
      guarantee = guarantee(c.collection(table));
    }
    if (!options.timeTravel() && consistency(c.collection(table)) == ConsistencyLevel.STRONG) {
      // A strong read also sees definitions finished before it (a table created or dropped).
      c.scheduler.awaitTaskDone(guarantee);
    }
    CollectionInfo info = options.timeTravel() ? version(table, readTs) : c.collection(table);
    if (!c.queryNode.isLoaded(info.id())) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "table \"%s\" is not loaded; run LOAD TABLE %s first", info.name(), info.name());
    }
    if (c.queryNode.tSafe(info.id()) < guarantee) {
      c.scheduler.awaitManipulationsBefore(guarantee);
      c.queryNode.advanceTSafe(info, guarantee);
    }
    return read.at(info, readTs);
  }

  /**
   * The table version a time-travel read at {@code readTs} reads: the one the SQL layer chose, or
   * the version of {@code table} alive then; 42P01 when none was.
   */
  private CollectionInfo version(String table, long readTs) {
    CollectionInfo info;
    if (options.tableVersion() >= 0) {
      info = c.meta.collection(options.tableVersion())
          .or(() -> c.meta.dropped(options.tableVersion()).map(d -> d.collection()))
          .orElseThrow(() -> missing(table));
    } else {
      info = c.meta.collectionAt(table, readTs).orElseThrow(() -> missing(table));
      CollectionInfo live = c.meta.collection(table).orElse(null);
      if (live != null && live.id() != info.id() && !live.schema().equals(info.schema())) {
        throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
            "FOR SYSTEM_TIME AS OF %s reaches a dropped table \"%s\" whose columns differ from"
                + " today's; give the time as a TIMESTAMP literal",
            Instant.ofEpochMilli(options.asOfMillis()), table);
      }
    }
    if (!info.visibleAt(readTs)) {
      throw missing(table);
    }
    return info;
  }

  private QuiverException missing(String table) {
    return QuiverException.of(ErrorCode.UNDEFINED_TABLE,
        "table \"%s\" did not exist at %s", table, Instant.ofEpochMilli(options.asOfMillis()));
  }

  private ConsistencyLevel consistency(CollectionInfo info) {
    return options.consistency() != null ? options.consistency() : info.consistencyLevel();
  }

  /** The timestamp below which the query node must have applied every write. */
  private long guarantee(CollectionInfo info) {
    return switch (consistency(info)) {
      case STRONG -> timestamp();
      case SESSION -> Math.min(options.sessionWriteTs(), timestamp());
      // The last timestamp of the millisecond the bound reaches back to: a bound of 0 is STRONG.
      case BOUNDED -> Math.min(timestamp(), Tso.compose(
          Math.max(0, Tso.physicalMillis(timestamp()) - options.stalenessMs()), LOGICAL_MAX));
      case EVENTUALLY -> 0;
    };
  }

  /**
   * The read timestamp of {@code AS OF}: the last timestamp of that millisecond. Fails with 22008
   * when it lies in the future or before the retention window, whose older versions compaction
   * may have purged.
   */
  private long travelTimestamp(String table) {
    long now = Tso.physicalMillis(timestamp());
    long asOf = options.asOfMillis();
    if (asOf > now) {
      throw QuiverException.of(ErrorCode.DATETIME_FIELD_OVERFLOW,
          "FOR SYSTEM_TIME AS OF %s on table \"%s\" lies in the future (now is %s)",
          Instant.ofEpochMilli(asOf), table, Instant.ofEpochMilli(now));
    }
    if (asOf < now - c.retentionMs) {
      throw QuiverException.of(ErrorCode.DATETIME_FIELD_OVERFLOW,
          "FOR SYSTEM_TIME AS OF %s on table \"%s\" is older than the retention window of %d ms"
              + " (the oldest time readable now is %s)",
          Instant.ofEpochMilli(asOf), table, c.retentionMs,
          Instant.ofEpochMilli(now - c.retentionMs));
    }
    return Math.min(Tso.compose(asOf, LOGICAL_MAX), timestamp());
  }
}
