package org.quiver.engine.querycoord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.querynode.RowRuns;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.FieldSchema;

/**
 * Puts together the answers of query nodes that each hold a part of a table, in the order one
 * process holding the whole table gives: a search's rows by distance (a NULL vector's NaN last),
 * then by where they come from; a query's or a scan's rows by where they come from. Each node
 * reads its sealed segments by id and then the growing rows ({@link ResultRows#sources}), and a
 * segment or the growing rows are one node's, so a merge by source that keeps each node's own
 * order among equal keys is the single process's order.
 *
 * <p>Rows are not deduplicated by key: the parts the nodes hold are disjoint, and a hand-off
 * between two nodes never runs during a read (the query coordination's membership lock).
 */
final class ResultMerge {
  private static final Comparator<Head> BY_SOURCE =
      Comparator.<Head>comparingLong(Head::source).thenComparingInt(h -> h.part);
  private static final Comparator<Head> BY_DISTANCE =
      Comparator.<Head>comparingDouble(Head::distance).thenComparing(BY_SOURCE);

  private ResultMerge() {}

  /**
   * The nearest {@code k} rows after {@code offset} of nodes' answers to the same search, each
   * nearest first for the search's whole depth (its offset plus k).
   */
  static ResultRows nearest(List<ResultRows> parts, CollectionSchema schema, int k, int offset) {
    if (parts.size() == 1) {
      return skip(parts.get(0), schema, k, offset);
    }
    return skip(merge(parts, schema, BY_DISTANCE, (long) k + offset), schema, k, offset);
  }

  /** Up to {@code limit} rows (negative: all) of nodes' answers to the same query. */
  static ResultRows rows(List<ResultRows> parts, CollectionSchema schema, long limit) {
    long cap = limit < 0 ? Long.MAX_VALUE : limit;
    if (parts.size() == 1 && parts.get(0).rowCount() <= cap) {
      return parts.get(0);
    }
    return merge(parts, schema, BY_SOURCE, cap);
  }

  /**
   * The rows of nodes' scans of the same query, merged as they are read, {@code chunkRows} rows a
   * chunk at most, up to {@code limit} rows (negative: all); closing it closes every node's scan.
   */
  static RowStream stream(List<RowStream> parts, CollectionSchema schema, int chunkRows,
      long limit) {
    return parts.size() == 1 ? parts.get(0)
        : new MergedStream(parts, schema, chunkRows, limit < 0 ? Long.MAX_VALUE : limit);
  }

  /** A part's next row, with what orders it. */
  private record Head(int part, ResultRows rows, int row) {
    long source() {
      return rows.sources() == null ? 0 : rows.sources()[row];
    }

    double distance() {
      return rows.distances()[row];
    }
  }

  private static ResultRows merge(List<ResultRows> parts, CollectionSchema schema,
      Comparator<Head> order, long cap) {
    PriorityQueue<Head> heads = new PriorityQueue<>(order);
    for (int p = 0; p < parts.size(); p++) {
      if (parts.get(p).rowCount() > 0) {
        heads.add(new Head(p, parts.get(p), 0));
      }
    }
    Picks picks = new Picks();
    while (!heads.isEmpty() && picks.size < cap) {
      Head h = heads.poll();
      picks.add(h.rows, h.row);
      if (h.row + 1 < h.rows.rowCount()) {
        heads.add(new Head(h.part, h.rows, h.row + 1));
      }
    }
    return picks.result(parts.get(0), schema);
  }

  /** {@code rows} from row {@code offset}, at most {@code k} of them. */
  private static ResultRows skip(ResultRows rows, CollectionSchema schema, int k, int offset) {
    if (offset == 0 && rows.rowCount() <= k) {
      return rows;
    }
    Picks picks = new Picks();
    for (int r = offset; r < rows.rowCount() && picks.size < k; r++) {
      picks.add(rows, r);
    }
    return picks.result(rows, schema);
  }

  /** Rows picked from answers, in pick order ({@link RowRuns}). */
  private static final class Picks {
    private final RowRuns<ResultRows> runs = new RowRuns<>();
    private int size;

    void add(ResultRows rows, int row) {
      runs.add(rows, row);
      size++;
    }

    /** The picked rows, with the fields of {@code shape} (any of the answers). */
    ResultRows result(ResultRows shape, CollectionSchema schema) {
      int n = runs.runs();
      List<Column> columns = new ArrayList<>(shape.fields().size());
      for (int c = 0; c < shape.fields().size(); c++) {
        List<Column> parts = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
          parts.add(runs.source(r).columns().get(c).select(runs.rows(r)));
        }
        FieldSchema field = schema.fields().get(schema.indexOf(shape.fields().get(c)));
        columns.add(parts.size() == 1 ? parts.get(0)
            : parts.isEmpty() ? new ColumnBuilder(field, 0).build()
            : ColumnBuilder.concat(field, parts));
      }
      double[] distances = shape.distances() == null ? null : new double[size];
      long[] sources = new long[size];
      for (int r = 0, at = 0; r < n; r++) {
        ResultRows from = runs.source(r);
        for (int row : runs.rows(r)) {
          if (distances != null) {
            distances[at] = from.distances()[row];
          }
          sources[at++] = from.sources() == null ? 0 : from.sources()[row];
        }
      }
      return new ResultRows(shape.fields(), columns, size, distances, sources);
    }
  }

  /**
   * Nodes' scans merged by source as the caller takes chunks: each node's scan holds one chunk at
   * a time, and its next is read only once every row of the current one is picked.
   */
  private static final class MergedStream implements RowStream {
    private final List<RowStream> parts;
    private final CollectionSchema schema;
    private final int chunkRows;
    private final long limit;
    private final PriorityQueue<Head> heads = new PriorityQueue<>(BY_SOURCE);
    private long returned;
    private ResultRows shape;
    private ResultRows next;
    private boolean started;

    MergedStream(List<RowStream> parts, CollectionSchema schema, int chunkRows, long limit) {
      this.parts = List.copyOf(parts);
      this.schema = schema;
      this.chunkRows = chunkRows;
      this.limit = limit;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = fill();
      }
      return next != null;
    }

    @Override
    public ResultRows next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ResultRows chunk = next;
      next = null;
      return chunk;
    }

    private ResultRows fill() {
      if (!started) {
        started = true;
        for (int p = 0; p < parts.size(); p++) {
          advance(p);
        }
      }
      Picks picks = new Picks();
      while (!heads.isEmpty() && picks.size < chunkRows && returned < limit) {
        Head h = heads.poll();
        picks.add(h.rows, h.row);
        returned++;
        if (h.row + 1 < h.rows.rowCount()) {
          heads.add(new Head(h.part, h.rows, h.row + 1));
        } else {
          advance(h.part);
        }
      }
      return picks.size == 0 ? null : picks.result(shape, schema);
    }

    /** Reads part {@code p}'s next chunk that has rows, if any. */
    private void advance(int p) {
      RowStream part = parts.get(p);
      while (part.hasNext()) {
        ResultRows chunk = part.next();
        shape = shape == null ? chunk : shape;
        if (chunk.rowCount() > 0) {
          heads.add(new Head(p, chunk, 0));
          return;
        }
      }
    }

    @Override
    public void close() {
      RuntimeException failure = null;
      for (RowStream part : parts) {
        try {
          part.close();
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }
}
