package org.quiver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quiver.engine.EngineFixture.assertRowsEqual;
import static org.quiver.engine.EngineFixture.assertSearchMatchesOracle;
import static org.quiver.engine.EngineFixture.batch;
import static org.quiver.engine.EngineFixture.create;
import static org.quiver.engine.EngineFixture.query;
import static org.quiver.engine.EngineFixture.queryAll;
import static org.quiver.engine.EngineFixture.randomRow;
import static org.quiver.engine.EngineFixture.randomVector;
import static org.quiver.engine.EngineFixture.search;
import static org.quiver.engine.EngineFixture.searchRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.EngineFixture.Filter;
import org.quiver.engine.EngineFixture.Row;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.proxy.Proxy;
import org.quiver.storage.index.IndexMetric;

/**
 * A seeded random sequence of inserts, deletes, flushes and restarts, checked after every step
 * against a map of the rows that should be live: a full scan returns exactly those rows, and a
 * top-5 search returns the oracle's top 5 among them. Rerun a failure with -Dtests.seed=N.
 */
class EngineModelTest {
  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());
  private static final int STEPS = 80;
  private static final int KEY_SPACE = 120;

  @TempDir Path dir;

  @Test
  void engineAgreesWithAMapThroughRandomOperations() {
    Random random = new Random(SEED);
    int sealRows = new int[] {3, 7, 40}[random.nextInt(3)];
    QuiverConfig config = new QuiverConfig(dir, sealRows);
    Map<Long, Row> model = new TreeMap<>();
    List<String> history = new ArrayList<>();
    Quiver engine = Quiver.open(config);
    try {
      Proxy proxy = engine.proxy();
      create(proxy, "t");
      for (int step = 0; step < STEPS; step++) {
        String before = context(sealRows, step, history);
        int op = random.nextInt(100);
        if (op < 45) {
          history.add(insert(proxy, random, model, before));
        } else if (op < 70) {
          history.add(delete(proxy, random, model, before));
        } else if (op < 85) {
          proxy.flush("t");
          history.add("flush");
        } else {
          engine.close();
          engine = Quiver.open(config);
          proxy = engine.proxy();
          history.add("reopen");
        }
        String where = context(sealRows, step, history);
        assertRowsEqual(model, queryAll(proxy, "t", where), where);
        float[] q = randomVector(random);
        IndexMetric metric = IndexMetric.FLOAT_METRICS.get(
            random.nextInt(IndexMetric.FLOAT_METRICS.size()));
        Filter filter = random.nextInt(4) == 0 ? Filter.TAG_BELOW_5 : Filter.NONE;
        assertSearchMatchesOracle(search(proxy, searchRequest("t", q, metric, 5, 0, filter)),
            model.values(), q, metric, 5, 0, filter, where);
      }
    } finally {
      engine.close();
    }
  }

  /** The seed, settings and last operations, for failure messages. */
  private static String context(int sealRows, int step, List<String> history) {
    return "seed " + SEED + " sealRows " + sealRows + " step " + step + " after "
        + history.subList(Math.max(0, history.size() - 8), history.size());
  }

  /** Inserts fresh or deleted keys; now and then a batch with a live key, which must fail. */
  private static String insert(Proxy proxy, Random random, Map<Long, Row> model,
      String where) {
    int n = random.nextInt(12) + 1;
    Set<Long> ids = new LinkedHashSet<>();
    for (int attempts = 0; ids.size() < n && attempts < 10 * n; attempts++) {
      long id = random.nextInt(KEY_SPACE);
      if (!model.containsKey(id)) {
        ids.add(id);
      }
    }
    List<Row> rows = new ArrayList<>();
    ids.forEach(id -> rows.add(randomRow(random, id)));
    boolean duplicate = !model.isEmpty() && random.nextInt(8) == 0;
    if (duplicate) {
      List<Long> live = new ArrayList<>(model.keySet());
      Row existing = randomRow(random, live.get(random.nextInt(live.size())));
      rows.add(random.nextInt(rows.size() + 1), existing);
      QuiverException e = assertThrows(QuiverException.class, () -> proxy.insert("t", batch(rows)),
          where + ": insert of a live key in " + rows.stream().map(Row::id).toList());
      assertEquals(ErrorCode.UNIQUE_VIOLATION, e.code(), where + ": " + e.getMessage());
      return "insert-duplicate" + rows.stream().map(Row::id).toList();
    }
    try {
      assertEquals(rows.size(), proxy.insert("t", batch(rows)), where);
    } catch (QuiverException e) {
      throw new AssertionError(where + ": insert of " + rows.stream().map(Row::id).toList()
          + " failed: " + e.getMessage(), e);
    }
    rows.forEach(r -> model.put(r.id(), r));
    return "insert" + rows.stream().map(Row::id).toList();
  }

  /** Deletes a mix of live and absent keys; only the live ones count. */
  private static String delete(Proxy proxy, Random random, Map<Long, Row> model,
      String where) {
    List<Object> keys = new ArrayList<>();
    for (int i = random.nextInt(8) + 1; i > 0; i--) {
      keys.add((long) random.nextInt(KEY_SPACE));
    }
    long live = keys.stream().distinct().filter(model::containsKey).count();
    assertEquals(live, proxy.delete("t", keys), where + ": deleted count of " + keys);
    keys.forEach(model::remove);
    return "delete" + keys;
  }
}
