package org.quiver.engine.msgstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.mq.RocksMessageQueue;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Random interleavings of deletes and per-channel ticks on three channels, checked against what
 * the ticks allow, with a restart from a released pack's end positions half way.
 */
class TimeTickConsumerTest {
  private static final List<String> CHANNELS = List.of("dml_9_0", "dml_9_1", "dml_9_2");
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  @TempDir Path dir;

  @Test
  void releasesExactlyWhatTheTicksAllowInTimestampOrder() {
    long seed = Long.getLong("quiver.seed", System.nanoTime());
    String where = "seed " + seed + " (replay with -Dquiver.seed=" + seed + ")";
    System.out.println("TimeTickConsumerTest " + where);
    Random random = new Random(seed);
    try (RocksMessageQueue mq = RocksMessageQueue.open(dir)) {
      CHANNELS.forEach(mq::createChannel);
      MsgStream producer = new MsgStream(mq, CHANNELS, SCHEMA);
      TimeTickConsumer consumer = new TimeTickConsumer(new MsgStream(mq, CHANNELS, SCHEMA), 4);
      Map<Long, Long> produced = new HashMap<>();
      Map<Long, Long> released = new HashMap<>();
      Map<String, Long> ticks = new HashMap<>();
      CHANNELS.forEach(c -> ticks.put(c, 0L));
      long ts = 0;
      long key = 0;
      boolean restarted = false;
      for (int step = 0; step < 600; step++) {
        ts += 1 + random.nextInt(3);
        int action = random.nextInt(10);
        if (action < 6) {
          long k = key++;
          producer.produce(List.of(new DmlMessage.Delete(9, ts, new Object[] {k})));
          produced.put(k, ts);
        } else if (action < 9) {
          String channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
          mq.produce(channel, List.of(MessageCodec.encode(new TimeTickMsg(9, ts))));
          ticks.put(channel, ts);
        } else {
          long now = ts;
          producer.broadcast(new TimeTickMsg(9, now));
          CHANNELS.forEach(c -> ticks.put(c, now));
        }
        long allowed = ticks.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        Optional<MsgPack> pack = consumer.poll();
        if (pack.isPresent()) {
          MsgPack p = pack.get();
          assertEquals(allowed, p.endTs(), "released up to the lowest channel tick, " + where);
          long last = p.beginTs();
          for (MsgPack.Entry e : p.messages()) {
            long t = e.message().timestamp();
            assertTrue(t > p.beginTs() && t <= p.endTs(), "ts " + t + " outside the pack, " + where);
            assertTrue(t >= last, "timestamp order, " + where);
            last = t;
            for (Object k : ((DmlMessage.Delete) e.message()).primaryKeys()) {
              assertEquals(null, released.put((Long) k, t), "key " + k + " released twice, " + where);
            }
          }
          if (!restarted && step > 300) {
            // A new consumer from this pack's end positions continues exactly after it.
            MsgStream stream = new MsgStream(mq, CHANNELS, SCHEMA);
            stream.seek(p.endPositions());
            consumer = new TimeTickConsumer(stream, 1 + random.nextInt(8));
            restarted = true;
          }
        }
        for (Map.Entry<Long, Long> e : produced.entrySet()) {
          assertEquals(e.getValue() <= allowed, released.containsKey(e.getKey()),
              "key " + e.getKey() + " at ts " + e.getValue() + " with tick " + allowed + ", " + where);
        }
      }
      assertTrue(restarted, where);
      ts++;
      producer.broadcast(new TimeTickMsg(9, ts));
      MsgPack last = consumer.poll().orElseThrow();
      assertEquals(ts, last.endTs());
      for (MsgPack.Entry e : last.messages()) {
        for (Object k : ((DmlMessage.Delete) e.message()).primaryKeys()) {
          assertEquals(null, released.put((Long) k, e.message().timestamp()), "key " + k + ", " + where);
        }
      }
      assertTrue(produced.equals(released), "every key released once at its timestamp, " + where);
      assertTrue(consumer.poll().isEmpty(), "nothing without a new tick");
      assertEquals(ts, consumer.lastTick());
    }
  }

  @Test
  void bufferedMessagesAboveTheTickWaitForTheNextOne() {
    try (RocksMessageQueue mq = RocksMessageQueue.open(dir)) {
      CHANNELS.forEach(mq::createChannel);
      MsgStream producer = new MsgStream(mq, CHANNELS, SCHEMA);
      TimeTickConsumer consumer = new TimeTickConsumer(new MsgStream(mq, CHANNELS, SCHEMA), 16);
      producer.produce(List.of(new DmlMessage.Delete(9, 10, new Object[] {1L, 2L, 3L, 4L})));
      assertTrue(consumer.poll().isEmpty(), "no tick yet");
      producer.broadcast(new TimeTickMsg(9, 20));
      producer.produce(List.of(new DmlMessage.Delete(9, 30, new Object[] {5L, 6L, 7L, 8L})));
      MsgPack first = consumer.poll().orElseThrow();
      assertEquals(0, first.beginTs());
      assertEquals(20, first.endTs());
      List<Object> keys = new ArrayList<>();
      first.messages().forEach(e -> keys.addAll(List.of(((DmlMessage.Delete) e.message()).primaryKeys())));
      assertEquals(List.of(1L, 2L, 3L, 4L), keys.stream().sorted().toList());
      assertTrue(consumer.poll().isEmpty(), "ts 30 waits for a tick");
      producer.broadcast(new TimeTickMsg(9, 40));
      MsgPack second = consumer.poll().orElseThrow();
      assertEquals(20, second.beginTs());
      assertEquals(40, second.endTs());
      assertEquals(30, second.messages().getFirst().message().timestamp());
      for (MsgPosition end : second.endPositions()) {
        assertEquals(mq.lastId(end.channel()), end.messageId(), "ends at the tick of " + end);
      }
    }
  }
}
