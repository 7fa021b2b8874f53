package org.quiver.engine.querynode;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.IntPredicate;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.expr.RowPredicate;
import org.quiver.storage.schema.CollectionSchema;

/**
 * The rows of one scan ({@link QueryNode#scan}), read a chunk at a time, each chunk the typed
 * columns of up to {@link #CHUNK} rows. Which row sets it reads
 * is fixed when it starts, and their mapped files stay mapped until it ends (see
 * {@link SegmentMapping}), so a compaction or a release meanwhile changes nothing it returns; the
 * rows it returns are those visible at its read timestamp, and since delete records are only ever
 * added, reading them chunk by chunk gives what one pass would. It holds at most one chunk of
 * projected rows, so a scan of any size needs bounded memory.
 *
 * <p>Close it when done; one that is dropped unclosed lets its files go when it is collected.
 */
public final class RowScan implements RowStream {
  /** Rows projected per hold of the collection's read lock. */
  static final int CHUNK = 1024;
  private static final Cleaner UNPIN = Cleaner.create();

  private final LoadedCollection lc;
  private final List<RowSet> sets;
  private final CollectionSchema schema;
  private final List<String> fields;
  private final int[] outputs;
  private final int chunkRows;
  private final RowPredicate filter;
  private final int pk;
  private final long readTs;
  private final long limit;
  /** The next chunk to return, or null when it is still to be read. */
  private ResultRows chunk;
  private final Cleaner.Cleanable pins;
  private int set;
  private int row;
  private long returned;

  /**
   * A scan of {@code sets} projected onto {@code schema}'s columns at {@code outputs} (named
   * {@code fields}), {@code chunkRows} rows a chunk. Call with the collection's read lock held:
   * every mapped row set is then still mapped.
   */
  RowScan(LoadedCollection lc, List<RowSet> sets, CollectionSchema schema, List<String> fields,
      int[] outputs, RowPredicate filter, long readTs, long limit, int chunkRows) {
    this.lc = lc;
    this.sets = sets;
    this.schema = schema;
    this.fields = fields;
    this.outputs = outputs;
    this.chunkRows = chunkRows;
    this.filter = filter;
    this.pk = schema.primaryKeyIndex();
    this.readTs = readTs;
    this.limit = limit;
    List<SegmentMapping> pinned = new ArrayList<>();
    for (RowSet rs : sets) {
      if (rs.mapping() != null) {
        if (!rs.mapping().pin()) {
          pinned.forEach(SegmentMapping::unpin);
          throw new IllegalStateException("segment " + rs.segmentId() + " is unmapped");
        }
        pinned.add(rs.mapping());
      }
    }
    this.pins = UNPIN.register(this, () -> pinned.forEach(SegmentMapping::unpin));
  }

  @Override
  public boolean hasNext() {
    if (chunk == null && set < sets.size() && returned < limit) {
      chunk = fill();
    }
    if (chunk == null) {
      close();
      return false;
    }
    return true;
  }

  @Override
  public ResultRows next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ResultRows next = chunk;
    chunk = null;
    return next;
  }

  /** The next chunk, projected under the read lock; null if no visible row remains. */
  private ResultRows fill() {
    RowProjection out = new RowProjection(schema, fields, outputs);
    lc.lock.readLock().lock();
    try {
      while (out.size() < chunkRows && set < sets.size() && returned < limit) {
        RowSet rs = sets.get(set);
        IntPredicate visible = lc.visibleRows(rs, pk, filter, readTs);
        int n = rs.size();
        for (; row < n && out.size() < chunkRows && returned < limit; row++) {
          if (visible.test(row)) {
            out.add(rs, row);
            returned++;
          }
        }
        if (row == n) {
          set++;
          row = 0;
        }
      }
      return out.size() == 0 ? null : out.result(null);
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /** Lets the scan's mapped files go (unmapped then if the query node has let them go too). */
  @Override
  public void close() {
    pins.clean();
    set = sets.size();
    chunk = null;
  }
}
