package org.quiver.engine.querynode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.LowRankMixture;

/**
 * Batched exact search answers each query exactly as a search of that query alone with {@code
 * exactOnly} does: same rows, same order, same distances, over a sealed (mapped) segment and
 * growing rows, with deletes, a filter and an offset, for every metric.
 */
class SearchBatchTest {
  private static final int DIM = 12;
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
      new FieldSchema(3, "v", DataType.FLOAT_VECTOR, DIM, false, false)));

  @TempDir
  Path dir;

  private static void insert(Proxy proxy, LowRankMixture data, int from, int to) {
    int n = to - from;
    Object[] ids = new Object[n];
    Object[] cats = new Object[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (long) (from + i);
      cats[i] = (from + i) % 4;
    }
    proxy.insert("t", Batches.of(SCHEMA, n, List.of(ids, cats, data.next(n))));
  }

  @Test
  void batchedAnswersEqualOneQueryAtATime() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    try (Quiver engine = Quiver.open(new QuiverConfig(dir, 1_000_000))) {
      Proxy proxy = engine.proxy();
      proxy.createCollection("t", SCHEMA, false);
      LowRankMixture data = new LowRankMixture(seed, DIM, 4, 6);
      insert(proxy, data, 0, 1500);
      proxy.flush("t");
      proxy.load("t");
      insert(proxy, data, 1500, 1800);
      List<Object> deleted = new ArrayList<>();
      for (long id = 0; id < 1800; id += 7) {
        deleted.add(id);
      }
      proxy.delete("t", deleted);
      List<float[]> queries = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        queries.add(data.next(1));
      }
      Expr notCat1 = new Expr.Compare(Expr.CompareOp.NE, new Expr.Column("cat"),
          new Expr.Literal(1));
      for (IndexMetric metric : IndexMetric.FLOAT_METRICS) {
        for (Expr filter : java.util.Arrays.asList(null, notCat1)) {
          SearchRequest template = new SearchRequest("t", "v", queries.get(0), metric, 10, 3,
              filter, List.of("id", "cat"), new SearchOptions(0, 0, true));
          List<ResultRows> batch = proxy.searchBatch(template,
              queries.stream().<SearchVector>map(SearchVector.Floats::new).toList());
          assertEquals(queries.size(), batch.size());
          for (int i = 0; i < queries.size(); i++) {
            ResultRows one = proxy.search(new SearchRequest("t", "v", queries.get(i), metric, 10,
                3, filter, List.of("id", "cat"), new SearchOptions(0, 0, true)));
            String where = metric + " " + filter + " query " + i + " seed=" + seed;
            assertEquals(10, one.rows().size(), where);
            assertEquals(ids(one), ids(batch.get(i)), where);
            assertArrayEquals(one.distances(), batch.get(i).distances(), 0.0, where);
          }
        }
      }
    }
  }

  private static List<Object> ids(ResultRows rows) {
    List<Object> ids = new ArrayList<>();
    rows.rows().forEach(r -> ids.add(r[0]));
    return ids;
  }
}
