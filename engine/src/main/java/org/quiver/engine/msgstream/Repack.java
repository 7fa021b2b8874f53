package org.quiver.engine.msgstream;

import java.util.ArrayList;
import java.util.List;
import org.quiver.storage.hash.Murmur3;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.ColumnBatches;

/**
 * Splits DML messages over a collection's channels by the hash of their primary keys, so that every
 * version of a row goes to the same channel.
 *
 * <p>The hash is persisted in effect (it decides which channel holds a key), so it is fixed:
 * MurmurHash3 x86 32-bit, seed 0, of the key's bytes (a BIGINT as 8 little-endian bytes, as Milvus
 * hashes int64 keys; a VARCHAR as its UTF-8 bytes), taken unsigned modulo the channel count.
 */
public final class Repack {
  private Repack() {}

  /** The index of the channel that holds {@code key}, among {@code channelCount} channels. */
  public static int channelOf(Object key, int channelCount) {
    return (int) (Integer.toUnsignedLong(hash(key)) % channelCount);
  }

  /** The stable hash of a BIGINT ({@link Long}) or VARCHAR ({@link String}) primary key. */
  public static int hash(Object key) {
    return Murmur3.hashKey(key, 0);
  }

  /**
   * The messages for each of {@code channelCount} channels, in the order given: an insert is split
   * by the rows' keys, a delete by its keys, and a flush or time tick goes to every channel. A
   * channel gets no part of a message that has nothing for it.
   */
  public static List<List<TsMsg>> repack(List<? extends TsMsg> messages, int channelCount) {
    if (channelCount < 1) {
      throw new IllegalArgumentException("channelCount must be >= 1, got " + channelCount);
    }
    List<List<TsMsg>> out = new ArrayList<>(channelCount);
    for (int i = 0; i < channelCount; i++) {
      out.add(new ArrayList<>());
    }
    if (channelCount == 1) {
      out.getFirst().addAll(messages);
      return out;
    }
    for (TsMsg message : messages) {
      switch (message) {
        case DmlMessage.Insert insert -> {
          Object[] keys = insert.rows().primaryKeys();
          List<List<Integer>> rows = split(keys, channelCount);
          for (int c = 0; c < channelCount; c++) {
            if (!rows.get(c).isEmpty()) {
              int[] picked = rows.get(c).stream().mapToInt(Integer::intValue).toArray();
              out.get(c).add(new DmlMessage.Insert(insert.collectionId(), insert.timestamp(),
                  ColumnBatches.select(insert.rows(), picked), insert.partition()));
            }
          }
        }
        case DmlMessage.Delete delete -> {
          Object[] keys = delete.primaryKeys();
          List<List<Integer>> picked = split(keys, channelCount);
          for (int c = 0; c < channelCount; c++) {
            if (!picked.get(c).isEmpty()) {
              Object[] part = picked.get(c).stream().map(i -> keys[i]).toArray();
              out.get(c).add(new DmlMessage.Delete(delete.collectionId(), delete.timestamp(), part));
            }
          }
        }
        case DmlMessage.Flush flush -> out.forEach(list -> list.add(flush));
        case TimeTickMsg tick -> out.forEach(list -> list.add(tick));
      }
    }
    return out;
  }

  private static List<List<Integer>> split(Object[] keys, int channelCount) {
    List<List<Integer>> rows = new ArrayList<>(channelCount);
    for (int i = 0; i < channelCount; i++) {
      rows.add(new ArrayList<>());
    }
    for (int r = 0; r < keys.length; r++) {
      rows.get(channelOf(keys[r], channelCount)).add(r);
    }
    return rows;
  }
}
