package org.quiver.engine.msgstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.fixtures.Batches;
import org.quiver.storage.mq.RocksMessageQueue;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

class MsgStreamTest {
  private static final long SEED = Long.getLong("quiver.seed", System.nanoTime());
  private static final List<String> CHANNELS = List.of("dml_7_0", "dml_7_1", "dml_7_2");
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false),
      new FieldSchema(3, "label", DataType.VARCHAR, 0, true, false)));
  private static final CollectionSchema VARCHAR_KEY = new CollectionSchema(List.of(
      new FieldSchema(1, "k", DataType.VARCHAR, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  @TempDir Path dir;
  private RocksMessageQueue mq;
  private final Random random = new Random(SEED);
  private final String where = "seed " + SEED + " (replay with -Dquiver.seed=" + SEED + ")";

  @BeforeEach
  void open() {
    System.out.println("MsgStreamTest " + where);
    mq = RocksMessageQueue.open(dir);
    CHANNELS.forEach(mq::createChannel);
  }

  @AfterEach
  void close() {
    mq.close();
  }

  @Test
  void hashIsMurmur3OfTheKeyBytes() {
    // Values of Guava's Hashing.murmur3_32_fixed(): pinned because they decide a key's channel.
    assertEquals(1669671676, Repack.hash(0L));
    assertEquals(1392991556, Repack.hash(1L));
    assertEquals(1651860712, Repack.hash(-1L));
    assertEquals(1871679806, Repack.hash(42L));
    assertEquals(-2106506049, Repack.hash(Long.MAX_VALUE));
    assertEquals(0, Repack.hash(""));
    assertEquals(1009084850, Repack.hash("a"));
    assertEquals(-1277324294, Repack.hash("abc"));
    assertEquals(1658609208, Repack.hash("quiver"));
    assertEquals(-1130389400, Repack.hash("héllo"));
  }

  @Test
  void repackIsDeterministicAndSpreadsKeys() {
    int channels = 4;
    int keys = 20_000;
    int[] longCounts = new int[channels];
    int[] stringCounts = new int[channels];
    for (int i = 0; i < keys; i++) {
      long key = random.nextLong();
      String text = "key-" + random.nextInt();
      int c = Repack.channelOf(key, channels);
      assertEquals(c, Repack.channelOf(key, channels), where);
      assertEquals(Repack.channelOf(text, channels), Repack.channelOf(text, channels), where);
      longCounts[c]++;
      stringCounts[Repack.channelOf(text, channels)]++;
      // Sequential keys, the usual case, must spread too.
      longCounts[Repack.channelOf((long) i, channels)]++;
    }
    for (int c = 0; c < channels; c++) {
      assertTrue(Math.abs(longCounts[c] - 2 * keys / channels) < 2 * keys / 20,
          "BIGINT keys on channel " + c + ": " + longCounts[c] + ", " + where);
      assertTrue(Math.abs(stringCounts[c] - keys / channels) < keys / 20,
          "VARCHAR keys on channel " + c + ": " + stringCounts[c] + ", " + where);
    }
  }

  @Test
  void repackSplitsInsertsAndDeletesByKeyAndSendsFlushEverywhere() {
    ColumnBatch rows = rows(0, 50);
    DmlMessage.Insert insert = new DmlMessage.Insert(7, 100, rows);
    Object[] deleted = {3L, 9L, 27L, 81L};
    DmlMessage.Flush flush = new DmlMessage.Flush(7, 102);
    List<List<TsMsg>> out = Repack.repack(
        List.of(insert, new DmlMessage.Delete(7, 101, deleted), flush), 3);
    int inserted = 0;
    int deletes = 0;
    for (int c = 0; c < 3; c++) {
      List<TsMsg> messages = out.get(c);
      assertEquals(flush, messages.getLast(), "flush last on channel " + c);
      for (TsMsg m : messages) {
        switch (m) {
          case DmlMessage.Insert part -> {
            assertEquals(100, part.timestamp());
            for (int r = 0; r < part.rows().rowCount(); r++) {
              long id = (Long) part.rows().value(0, r);
              assertEquals(c, Repack.channelOf(id, 3), "row " + id);
              float[] v = part.rows().vectors(1);
              assertArrayEquals(new float[] {id, -id}, new float[] {v[2 * r], v[2 * r + 1]});
              assertEquals("row-" + id, part.rows().value(2, r));
              inserted++;
            }
          }
          case DmlMessage.Delete part -> {
            assertEquals(101, part.timestamp());
            for (Object key : part.primaryKeys()) {
              assertEquals(c, Repack.channelOf(key, 3), "deleted " + key);
              deletes++;
            }
          }
          case DmlMessage.Flush f -> { }
          case TimeTickMsg t -> { }
        }
      }
    }
    assertEquals(50, inserted);
    assertEquals(deleted.length, deletes);

    ColumnBatch text = Batches.of(VARCHAR_KEY, 3,
        List.of(new Object[] {"a", "abc", "quiver"}, new float[6]));
    List<List<TsMsg>> byText = Repack.repack(List.of(new DmlMessage.Insert(1, 1, text)), 2);
    for (int c = 0; c < 2; c++) {
      for (TsMsg m : byText.get(c)) {
        for (Object key : ((DmlMessage.Insert) m).rows().primaryKeys()) {
          assertEquals(c, Repack.channelOf(key, 2), "VARCHAR key " + key);
        }
      }
    }
  }

  @Test
  void producedPackCarriesTimestampsAndPositions() {
    MsgStream stream = new MsgStream(mq, CHANNELS, SCHEMA);
    MsgPack pack = stream.produce(List.of(
        new DmlMessage.Insert(7, 200, rows(0, 30)),
        new DmlMessage.Delete(7, 250, new Object[] {1L, 2L, 3L, 4L, 5L, 6L})));
    assertEquals(200, pack.beginTs());
    assertEquals(250, pack.endTs());
    Map<String, List<Long>> ids = new HashMap<>();
    for (MsgPack.Entry e : pack.messages()) {
      ids.computeIfAbsent(e.position().channel(), c -> new ArrayList<>()).add(e.position().messageId());
    }
    for (MsgPosition start : pack.startPositions()) {
      assertEquals(ids.get(start.channel()).getFirst(), start.messageId());
    }
    for (MsgPosition end : pack.endPositions()) {
      assertEquals(ids.get(end.channel()).getLast(), end.messageId());
      assertEquals(mq.lastId(end.channel()), end.messageId());
    }
    assertEquals(ids.keySet().size(), pack.endPositions().size());

    MsgPack tick = stream.broadcast(new TimeTickMsg(7, 300));
    assertEquals(CHANNELS, tick.endPositions().stream().map(MsgPosition::channel).toList());
    assertEquals(300, tick.beginTs());
    assertEquals(300, tick.endTs());
  }

  @Test
  void messagesRoundTripThroughTheLog() {
    MsgStream stream = new MsgStream(mq, CHANNELS, SCHEMA);
    stream.produce(List.of(new DmlMessage.Insert(7, 10, rows(0, 40)),
        new DmlMessage.Delete(7, 11, new Object[] {5L, 6L}), new DmlMessage.Flush(7, 12)));
    stream.broadcast(new TimeTickMsg(7, 13));
    MsgStream reader = new MsgStream(mq, CHANNELS, SCHEMA);
    List<MsgPack.Entry> read = new ArrayList<>();
    for (String channel : CHANNELS) {
      MsgPack pack = reader.read(channel, -1, 100);
      assertEquals(13, pack.endTs(), "every channel ends with the tick");
      read.addAll(pack.messages());
    }
    Map<Long, Long> rowsRead = new HashMap<>();
    List<Object> deleted = new ArrayList<>();
    int flushes = 0;
    int ticks = 0;
    for (MsgPack.Entry e : read) {
      assertEquals(7, e.message().collectionId());
      switch (e.message()) {
        case DmlMessage.Insert insert -> {
          assertEquals(10, insert.timestamp());
          for (int r = 0; r < insert.rows().rowCount(); r++) {
            long id = (Long) insert.rows().value(0, r);
            assertEquals(-id, insert.rows().vectors(1)[2 * r + 1]);
            assertEquals("row-" + id, insert.rows().value(2, r));
            assertEquals(null, rowsRead.put(id, insert.timestamp()), "row " + id + " twice");
          }
        }
        case DmlMessage.Delete delete -> deleted.addAll(List.of(delete.primaryKeys()));
        case DmlMessage.Flush flush -> flushes++;
        case TimeTickMsg tick -> {
          assertEquals(new TimeTickMsg(7, 13), tick);
          ticks++;
        }
      }
    }
    assertEquals(40, rowsRead.size());
    assertEquals(List.of(5L, 6L), deleted.stream().sorted().toList());
    assertEquals(3, flushes);
    assertEquals(3, ticks);
  }

  @Test
  void readResumesExactlyAfterAPosition() {
    MsgStream stream = new MsgStream(mq, CHANNELS, SCHEMA);
    for (int i = 0; i < 60; i++) {
      stream.produce(List.of(new DmlMessage.Delete(7, 1000 + i, new Object[] {(long) i})));
    }
    List<MsgPack.Entry> all = new ArrayList<>();
    for (String channel : CHANNELS) {
      MsgPack pack;
      long after = -1;
      while (!(pack = stream.read(channel, after, 1 + random.nextInt(7))).isEmpty()) {
        all.addAll(pack.messages());
        after = pack.endPositions().getFirst().messageId();
      }
    }
    assertEquals(60, all.size());

    MsgPack.Entry at = all.get(random.nextInt(all.size()));
    String channel = at.position().channel();
    List<Long> expected = all.stream()
        .filter(e -> e.position().channel().equals(channel)
            && e.position().messageId() > at.position().messageId())
        .map(e -> e.position().messageId()).toList();
    List<Long> got = new ArrayList<>();
    MsgPack pack;
    long after = at.position().messageId();
    while (!(pack = stream.read(channel, after, 5)).isEmpty()) {
      pack.messages().forEach(e -> {
        assertEquals(channel, e.position().channel());
        got.add(e.position().messageId());
      });
      after = pack.endPositions().getFirst().messageId();
    }
    assertEquals(expected, got, "after " + at.position() + ", " + where);
  }

  static ColumnBatch rows(long first, int count) {
    Object[] ids = new Object[count];
    Object[] labels = new Object[count];
    float[] v = new float[2 * count];
    for (int i = 0; i < count; i++) {
      long id = first + i;
      ids[i] = id;
      labels[i] = "row-" + id;
      v[2 * i] = id;
      v[2 * i + 1] = -id;
    }
    return Batches.of(SCHEMA, count, List.of(ids, v, labels));
  }
}
