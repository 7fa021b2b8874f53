package org.quiver.engine.querynode;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.expr.RowPredicate;
import org.quiver.storage.column.Column;
import org.quiver.storage.schema.CollectionSchema;

/**
 * Finds the rows of given primary keys in the row sets a query node holds, without reading the
 * other rows: each row set's keys are hashed to their row positions on its first lookup, and the
 * hash is kept while the query node holds the row set.
 *
 * <p>{@link #mayContain} is where a per-segment summary of the keys (a bloom filter or a key
 * range) lets a lookup skip a row set before its hash is built or probed.
 *
 * <p>The hashes are guarded by this object's monitor, taken inside the collection's read lock; a
 * lookup reads the rows under the collection's read lock.
 */
final class KeyLookup {
  private static final int[] NONE = new int[0];

  /** Row positions by key, per row set (by identity); guarded by this. */
  private final Map<RowSet, Map<Object, int[]>> positions = new IdentityHashMap<>();

  /**
   * The visible rows at {@code readTs} of {@code lc} whose primary key is one of
   * {@code request.keys()}, in the requested partitions, and that pass the filter, found by key
   * in each row set rather than by reading every row.
   */
  ResultRows find(LoadedCollection lc, CollectionInfo info, QueryRequest request, long readTs) {
    CollectionSchema schema = info.schema();
    int[] outputs = RowProjection.outputIndexes(info, request.outputFields());
    RowPredicate filter = RowPredicate.compile(request.filter(), schema);
    int pk = schema.primaryKeyIndex();
    long limit = request.limit() < 0 ? Long.MAX_VALUE : request.limit();
    List<Object> keys = request.keys().stream().distinct().toList();
    RowProjection out = new RowProjection(schema, request.outputFields(), outputs);
    lc.lock.readLock().lock();
    try {
      LoadedCollections.checkHeld(lc, info, request.partitions());
      List<RowSet> held = lc.rowSets();
      for (RowSet rs : held) {
        if (!rs.in(request.partitions())) {
          continue;
        }
        IntPredicate visible = lc.visibleRows(rs, pk, filter, readTs);
        for (Object key : keys) {
          for (int r : rowsOf(rs, pk, key)) {
            if (out.size() < limit && visible.test(r)) {
              out.add(rs, r);
            }
          }
        }
      }
      retain(held);
      // Projected under the read lock: a sealed segment's vectors are unmapped once it is released.
      return out.result(null);
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /** Whether {@code rows} may hold {@code key}; false only when it certainly does not. */
  static boolean mayContain(RowSet rows, Object key) {
    return true;
  }

  /** The positions in {@code rows} of the rows whose primary key (column {@code pk}) is {@code key}. */
  private int[] rowsOf(RowSet rows, int pk, Object key) {
    if (!mayContain(rows, key)) {
      return NONE;
    }
    Map<Object, int[]> byKey;
    synchronized (this) {
      byKey = positions.computeIfAbsent(rows, rs -> hash(rs, pk));
    }
    return byKey.getOrDefault(key, NONE);
  }

  /** Forgets the hashes of row sets the query node no longer holds (compacted, released). */
  private synchronized void retain(List<RowSet> held) {
    if (positions.size() > held.size()) {
      Set<RowSet> keep = Collections.newSetFromMap(new IdentityHashMap<>());
      keep.addAll(held);
      positions.keySet().retainAll(keep);
    }
  }

  private static Map<Object, int[]> hash(RowSet rows, int pk) {
    Column keys = rows.rows().column(pk);
    Map<Object, int[]> byKey = new HashMap<>(keys.size() * 2);
    for (int r = 0; r < keys.size(); r++) {
      int row = r;
      // A key deleted and inserted again within one row set has two rows.
      byKey.merge(keys.get(r), new int[] {r}, (a, b) -> {
        int[] both = Arrays.copyOf(a, a.length + 1);
        both[a.length] = row;
        return both;
      });
    }
    return byKey;
  }
}
