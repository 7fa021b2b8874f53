package org.quiver.engine.querynode;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.IntPredicate;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.expr.RowPredicate;
import org.quiver.storage.schema.ColumnBatch;

/**
 * The rows of one scan ({@link QueryNode#scan}), read a chunk at a time. Which row sets it reads
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
  private final int[] outputs;
  private final RowPredicate filter;
  private final int pk;
  private final long readTs;
  private final long limit;
  private final ArrayDeque<Object[]> chunk = new ArrayDeque<>();
  private final Cleaner.Cleanable pins;
  private int set;
  private int row;
  private long returned;

  /** Call with the collection's read lock held: every mapped row set is then still mapped. */
  RowScan(LoadedCollection lc, List<RowSet> sets, int[] outputs, RowPredicate filter, int pk,
      long readTs, long limit) {
    this.lc = lc;
    this.sets = sets;
    this.outputs = outputs;
    this.filter = filter;
    this.pk = pk;
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
    if (chunk.isEmpty() && set < sets.size() && returned < limit) {
      fill();
    }
    if (chunk.isEmpty()) {
      close();
      return false;
    }
    return true;
  }

  @Override
  public Object[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return chunk.poll();
  }

  private void fill() {
    lc.lock.readLock().lock();
    try {
      while (chunk.size() < CHUNK && set < sets.size() && returned < limit) {
        RowSet rs = sets.get(set);
        ColumnBatch rows = rs.rows();
        IntPredicate visible = lc.visibleRows(rs, pk, filter, readTs);
        int n = rs.size();
        for (; row < n && chunk.size() < CHUNK && returned < limit; row++) {
          if (visible.test(row)) {
            chunk.add(RowProjection.project(rows, row, outputs));
            returned++;
          }
        }
        if (row == n) {
          set++;
          row = 0;
        }
      }
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /** Lets the scan's mapped files go (unmapped then if the query node has let them go too). */
  @Override
  public void close() {
    pins.clean();
    set = sets.size();
    chunk.clear();
  }
}
