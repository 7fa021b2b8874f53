package org.quiver.engine.msgstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quiver.storage.mq.Message;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.schema.CollectionSchema;

/**
 * The engine's view of the log for one collection: typed messages produced to its channels
 * (repacked by primary key, or broadcast) and read back as {@link MsgPack}s.
 *
 * <p>Thread-safe (the queue is); a reader keeps its own position per channel and passes it to
 * {@link #read}.
 */
public final class MsgStream {
  private final MessageQueue mq;
  private final List<String> channels;
  private final CollectionSchema schema;

  /** A stream over {@code channels}. */
  public MsgStream(MessageQueue mq, List<String> channels, CollectionSchema schema) {
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("a stream needs at least one channel");
    }
    this.mq = mq;
    this.channels = List.copyOf(channels);
    this.schema = schema;
  }

  public List<String> channels() {
    return channels;
  }

  /**
   * Writes DML messages durably, each insert and delete split over the channels by primary key and
   * each flush sent to every channel; returns once they are in the log, as the pack written.
   */
  public MsgPack produce(List<? extends DmlMessage> messages) {
    return write(Repack.repack(messages, channels.size()));
  }

  /** Writes one message durably to every channel, as the pack written. */
  public MsgPack broadcast(TsMsg message) {
    List<List<TsMsg>> perChannel = new ArrayList<>(channels.size());
    channels.forEach(c -> perChannel.add(List.of(message)));
    return write(perChannel);
  }

  private MsgPack write(List<List<TsMsg>> perChannel) {
    List<Integer> targets = new ArrayList<>();
    List<List<byte[]>> payloads = new ArrayList<>(channels.size());
    for (int c = 0; c < channels.size(); c++) {
      List<TsMsg> messages = perChannel.get(c);
      payloads.add(messages.stream().map(MessageCodec::encode).toList());
      if (!messages.isEmpty()) {
        targets.add(c);
      }
    }
    List<List<Long>> ids = new ArrayList<>(java.util.Collections.nCopies(channels.size(), null));
    if (targets.size() == 1) {
      int c = targets.getFirst();
      ids.set(c, mq.produce(channels.get(c), payloads.get(c)));
    } else if (!targets.isEmpty()) {
      // One producer per channel at once, so that the log's group commit syncs them together
      // rather than once per channel.
      try (var producers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        List<java.util.concurrent.Future<List<Long>>> done = new ArrayList<>();
        for (int c : targets) {
          done.add(producers.submit(() -> mq.produce(channels.get(c), payloads.get(c))));
        }
        for (int i = 0; i < targets.size(); i++) {
          ids.set(targets.get(i), done.get(i).get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing to the log", e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    List<MsgPack.Entry> entries = new ArrayList<>();
    for (int c : targets) {
      List<TsMsg> messages = perChannel.get(c);
      for (int i = 0; i < messages.size(); i++) {
        entries.add(new MsgPack.Entry(new MsgPosition(channels.get(c), ids.get(c).get(i)),
            messages.get(i), payloads.get(c).get(i).length));
      }
    }
    return pack(entries, endPositions(entries, Map.of()));
  }

  /** Up to {@code max} messages of one channel after message {@code afterId}, in log order. */
  public MsgPack read(String channel, long afterId, int max) {
    return read(channel, afterId, max, MessageCodec::decodeMessage);
  }

  /**
   * As {@link #read}, but each insert keeps only its primary-key column (see
   * {@link MessageCodec#decodeKeys}): for readers that track which keys were written.
   */
  public MsgPack readKeys(String channel, long afterId, int max) {
    return read(channel, afterId, max, MessageCodec::decodeKeys);
  }

  private MsgPack read(String channel, long afterId, int max,
      java.util.function.BiFunction<byte[], CollectionSchema, TsMsg> decoder) {
    List<MsgPack.Entry> entries = new ArrayList<>();
    for (Message m : mq.read(channel, afterId, max)) {
      entries.add(new MsgPack.Entry(new MsgPosition(channel, m.id()),
          decoder.apply(m.payload(), schema), m.payload().length));
    }
    return pack(entries, endPositions(entries, Map.of(channel, afterId)));
  }

  /** The id of the last message produced to the channel, or -1 if none was. */
  public long lastId(String channel) {
    return mq.lastId(channel);
  }

  private List<MsgPosition> endPositions(List<MsgPack.Entry> entries, Map<String, Long> before) {
    Map<String, Long> end = new LinkedHashMap<>(before);
    entries.forEach(e -> end.put(e.position().channel(), e.position().messageId()));
    return end.entrySet().stream().map(e -> new MsgPosition(e.getKey(), e.getValue())).toList();
  }

  private static MsgPack pack(List<MsgPack.Entry> entries, List<MsgPosition> endPositions) {
    long begin = entries.stream().mapToLong(e -> e.message().timestamp()).min().orElse(0);
    long end = entries.stream().mapToLong(e -> e.message().timestamp()).max().orElse(0);
    return new MsgPack(begin, end, entries, startPositions(entries), endPositions);
  }

  private static List<MsgPosition> startPositions(List<MsgPack.Entry> entries) {
    Map<String, Long> start = new LinkedHashMap<>();
    entries.forEach(e -> start.putIfAbsent(e.position().channel(), e.position().messageId()));
    return start.entrySet().stream().map(e -> new MsgPosition(e.getKey(), e.getValue())).toList();
  }
}
