package org.quiver.storage.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link KvStore} must show; each implementation extends it. */
public abstract class KvStoreContractTest {

  @TempDir Path dir;

  /**
   * Opens the store kept under {@code dir}; opening the same directory again after close must see
   * the same data.
   */
  protected abstract KvStore open(Path dir);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void getPutDelete() {
    try (KvStore kv = open(dir)) {
      assertNull(kv.get("missing"));
      kv.put("collection/1", bytes("one"));
      assertEquals("one", string(kv.get("collection/1")));
      kv.put("collection/1", bytes("uno"));
      assertEquals("uno", string(kv.get("collection/1")));
      kv.delete("collection/1");
      assertNull(kv.get("collection/1"));
      kv.delete("never-written");
    }
  }

  @Test
  void keepsBinaryValuesEmptyValuesAndUnicodeKeys() {
    byte[] binary = {0, -1, 127, -128, 10, 0};
    try (KvStore kv = open(dir)) {
      kv.put("clé/ключ/鍵", binary);
      kv.put("empty", new byte[0]);
      assertArrayEquals(binary, kv.get("clé/ключ/鍵"));
      assertArrayEquals(new byte[0], kv.get("empty"));
      assertEquals(List.of("clé/ключ/鍵"), List.copyOf(kv.scanPrefix("clé/").keySet()));
    }
  }

  @Test
  void multiSaveAppliesPutsAndRemovesTogether() {
    try (KvStore kv = open(dir)) {
      kv.put("a", bytes("1"));
      kv.put("b", bytes("2"));
      Map<String, byte[]> puts = new LinkedHashMap<>();
      puts.put("c", bytes("3"));
      puts.put("a", bytes("10"));
      kv.multiSave(puts, List.of("b", "not-there"));
      assertEquals("10", string(kv.get("a")));
      assertNull(kv.get("b"));
      assertEquals("3", string(kv.get("c")));
    }
  }

  @Test
  void multiSaveIsSeenWholeByConcurrentScans() throws Exception {
    List<String> left = List.of("s/x1", "s/x2", "s/x3", "s/x4");
    List<String> right = List.of("s/y1", "s/y2", "s/y3", "s/y4");
    try (KvStore kv = open(dir)) {
      kv.multiSave(values(left), List.of());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<String> torn = new AtomicReference<>();
      Thread reader =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!stop.get() && torn.get() == null) {
                      List<String> seen = List.copyOf(kv.scanPrefix("s/").keySet());
                      if (!seen.equals(left) && !seen.equals(right)) {
                        torn.set(seen.toString());
                      }
                    }
                  });
      for (int i = 0; i < 100; i++) {
        boolean toRight = i % 2 == 0;
        kv.multiSave(values(toRight ? right : left), toRight ? left : right);
      }
      stop.set(true);
      reader.join();
      assertNull(torn.get(), "a scan saw half of a multiSave");
    }
  }

  private static Map<String, byte[]> values(List<String> keys) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (String k : keys) {
      m.put(k, bytes(k));
    }
    return m;
  }

  @Test
  void scanPrefixIsOrderedAndBounded() {
    try (KvStore kv = open(dir)) {
      for (String k : List.of("a", "a/", "a/2", "a/10", "a/1/x", "a0", "a.", "b/1", "`")) {
        kv.put(k, bytes("v" + k));
      }
      SortedMap<String, byte[]> scan = kv.scanPrefix("a/");
      assertEquals(List.of("a/", "a/1/x", "a/10", "a/2"), new ArrayList<>(scan.keySet()));
      assertEquals("va/10", string(scan.get("a/10")));
      assertEquals(List.of("a/1/x", "a/10"), new ArrayList<>(kv.scanPrefix("a/1").keySet()));
      assertTrue(kv.scanPrefix("c").isEmpty());
      assertEquals(9, kv.scanPrefix("").size());
    }
  }

  @Test
  void reopenKeepsData() {
    try (KvStore kv = open(dir)) {
      kv.put("tso", bytes("42"));
      kv.multiSave(Map.of("x/1", bytes("1"), "x/2", bytes("2")), List.of());
      kv.delete("x/2");
    }
    try (KvStore kv = open(dir)) {
      assertEquals("42", string(kv.get("tso")));
      assertEquals(List.of("x/1"), new ArrayList<>(kv.scanPrefix("x/").keySet()));
    }
  }

  @Test
  void compareAndSwapChecksTheCurrentValueOrAbsence() {
    try (KvStore kv = open(dir)) {
      assertTrue(kv.compareAndSwap("lock", null, bytes("a")), "absent key, expected absent");
      assertFalse(kv.compareAndSwap("lock", null, bytes("b")), "present key, expected absent");
      assertFalse(kv.compareAndSwap("lock", bytes("x"), bytes("b")), "wrong expected value");
      assertEquals("a", string(kv.get("lock")));
      assertTrue(kv.compareAndSwap("lock", bytes("a"), bytes("b")));
      assertEquals("b", string(kv.get("lock")));
      assertFalse(kv.compareAndSwap("other", bytes("b"), bytes("c")), "absent key, expected a value");
      assertNull(kv.get("other"));
      assertTrue(kv.compareAndSwap("lock", bytes("b"), null), "null update deletes");
      assertNull(kv.get("lock"));
      assertTrue(kv.compareAndSwap("empty", null, new byte[0]));
      assertFalse(kv.compareAndSwap("empty", null, bytes("x")), "an empty value is not absence");
      assertTrue(kv.compareAndSwap("empty", new byte[0], bytes("x")));
    }
  }

  @Test
  void compareAndSwapLosesNoIncrementUnderContention() throws Exception {
    int threads = 4;
    int perThread = 50;
    try (KvStore kv = open(dir)) {
      kv.put("counter", bytes("0"));
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Callable<Integer>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          jobs.add(() -> {
            int conflicts = 0;
            for (int i = 0; i < perThread; i++) {
              while (true) {
                byte[] seen = kv.get("counter");
                byte[] next = bytes(Integer.toString(Integer.parseInt(string(seen)) + 1));
                if (kv.compareAndSwap("counter", seen, next)) {
                  break;
                }
                conflicts++;
              }
            }
            return conflicts;
          });
        }
        for (Future<Integer> f : pool.invokeAll(jobs)) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(Integer.toString(threads * perThread), string(kv.get("counter")));
    }
  }

  @Test
  void loadAtReadsTheVersionCurrentAtATimestamp() {
    try (KvStore kv = open(dir)) {
      kv.saveAt("collection/1", bytes("v10"), 10);
      kv.saveAt("collection/1", bytes("v20"), 20);
      kv.multiSaveAt(Map.of(), List.of("collection/1"), 30);
      kv.saveAt("collection/1", bytes("v40"), 40);
      assertNull(kv.loadAt("collection/1", 0));
      assertNull(kv.loadAt("collection/1", 9));
      assertEquals("v10", string(kv.loadAt("collection/1", 10)));
      assertEquals("v10", string(kv.loadAt("collection/1", 19)));
      assertEquals("v20", string(kv.loadAt("collection/1", 29)));
      assertNull(kv.loadAt("collection/1", 30), "removed at 30");
      assertNull(kv.loadAt("collection/1", 39));
      assertEquals("v40", string(kv.loadAt("collection/1", Long.MAX_VALUE)));
      assertNull(kv.loadAt("collection/10", Long.MAX_VALUE), "a longer key is another key");
      assertNull(kv.loadAt("collection/", Long.MAX_VALUE), "a shorter key is another key");
      assertNull(kv.get("collection/1"), "versions do not show as plain keys");
      kv.saveAt("collection/1", bytes("v40bis"), 40);
      assertEquals("v40bis", string(kv.loadAt("collection/1", 40)), "same timestamp replaces");
    }
  }

  @Test
  void scanPrefixAtSeesTheKeysLiveAtATimestamp() {
    try (KvStore kv = open(dir)) {
      kv.multiSaveAt(Map.of("c/1", bytes("one"), "c/2", bytes("two"), "cx", bytes("x")), List.of(), 5);
      kv.saveAt("c/1", bytes("uno"), 7);
      kv.multiSaveAt(Map.of("c/3", bytes("three")), List.of("c/2"), 9);
      kv.saveAt("c/", bytes("root"), 11);
      assertTrue(kv.scanPrefixAt("c/", 4).isEmpty());
      assertEquals(Map.of("c/1", "one", "c/2", "two"), strings(kv.scanPrefixAt("c/", 5)));
      assertEquals(Map.of("c/1", "uno", "c/2", "two"), strings(kv.scanPrefixAt("c/", 8)));
      assertEquals(Map.of("c/1", "uno", "c/3", "three"), strings(kv.scanPrefixAt("c/", 9)));
      SortedMap<String, byte[]> latest = kv.scanPrefixAt("c", Long.MAX_VALUE);
      assertEquals(List.of("c/", "c/1", "c/3", "cx"), List.copyOf(latest.keySet()));
      assertEquals(Map.of("c/1", "uno"), strings(kv.scanPrefixAt("c/1", 100)));
    }
  }

  @Test
  void versionsSurviveReopen() {
    try (KvStore kv = open(dir)) {
      kv.saveAt("meta/k", bytes("old"), 100);
      kv.saveAt("meta/k", bytes("new"), 200);
    }
    try (KvStore kv = open(dir)) {
      assertEquals("old", string(kv.loadAt("meta/k", 150)));
      assertEquals("new", string(kv.loadAt("meta/k", 200)));
    }
  }

  @Test
  void snapshotViewRejectsBadTimestampsAndKeys() {
    try (KvStore kv = open(dir)) {
      assertThrows(IllegalArgumentException.class, () -> kv.saveAt("k", bytes("v"), -1));
      assertThrows(IllegalArgumentException.class, () -> kv.loadAt("k", -1));
      assertThrows(IllegalArgumentException.class, () -> kv.saveAt("a\0b", bytes("v"), 1));
      assertThrows(
          IllegalArgumentException.class,
          () -> kv.multiSaveAt(Map.of("k", bytes("v")), List.of("k"), 1));
      assertNull(kv.loadAt("k", Long.MAX_VALUE), "a refused save writes nothing");
    }
  }

  private static Map<String, String> strings(Map<String, byte[]> map) {
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, string(v)));
    return out;
  }

  @Test
  void closedStoreRefusesWork() {
    KvStore kv = open(dir);
    kv.close();
    assertThrows(IllegalStateException.class, () -> kv.get("a"));
    kv.close();
  }
}
