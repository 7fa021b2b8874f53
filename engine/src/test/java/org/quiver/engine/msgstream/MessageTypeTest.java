package org.quiver.engine.msgstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quiver.storage.schema.DataType;

/**
 * Pins the numbers that log messages, catalog records and segment files persist: renumbering or
 * reordering an enum must fail here, not corrupt the files an older build wrote.
 */
class MessageTypeTest {

  private static final Map<MessageType, Integer> MESSAGE_TYPES = new LinkedHashMap<>();
  private static final Map<DataType, Integer> DATA_TYPES = new LinkedHashMap<>();

  static {
    MESSAGE_TYPES.put(MessageType.CREATE_COLLECTION, 100);
    MESSAGE_TYPES.put(MessageType.DROP_COLLECTION, 101);
    MESSAGE_TYPES.put(MessageType.INSERT, 400);
    MESSAGE_TYPES.put(MessageType.DELETE, 401);
    MESSAGE_TYPES.put(MessageType.FLUSH, 402);
    MESSAGE_TYPES.put(MessageType.TIME_TICK, 1200);

    DATA_TYPES.put(DataType.BOOL, 1);
    DATA_TYPES.put(DataType.INT8, 2);
    DATA_TYPES.put(DataType.INT16, 3);
    DATA_TYPES.put(DataType.INT32, 4);
    DATA_TYPES.put(DataType.INT64, 5);
    DATA_TYPES.put(DataType.FLOAT, 10);
    DATA_TYPES.put(DataType.DOUBLE, 11);
    DATA_TYPES.put(DataType.VARCHAR, 21);
    DATA_TYPES.put(DataType.TIMESTAMP, 26);
    DATA_TYPES.put(DataType.BINARY_VECTOR, 100);
    DATA_TYPES.put(DataType.FLOAT_VECTOR, 101);
    DATA_TYPES.put(DataType.FLOAT16_VECTOR, 102);
    DATA_TYPES.put(DataType.SPARSE_FLOAT_VECTOR, 104);
  }

  @Test
  void messageTypeNumbersArePinned() {
    MESSAGE_TYPES.forEach((type, number) -> {
      assertEquals(number, type.number(), type.name());
      assertEquals(type, MessageType.ofNumber(number), "ofNumber(" + number + ")");
    });
  }

  @Test
  void everyMessageTypeHasAPinnedNumber() {
    Set<MessageType> all = Arrays.stream(MessageType.values()).collect(Collectors.toSet());
    assertEquals(all, MESSAGE_TYPES.keySet(), "a new message type needs its number pinned here");
  }

  @Test
  void unknownMessageTypeNumberIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> MessageType.ofNumber(0));
    assertThrows(IllegalArgumentException.class, () -> MessageType.ofNumber(403));
  }

  @Test
  void dataTypeNumbersArePinned() {
    DATA_TYPES.forEach((type, number) -> {
      assertEquals(number, type.number(), type.name());
      assertEquals(type, DataType.ofNumber(number), "ofNumber(" + number + ")");
    });
  }

  @Test
  void everyDataTypeHasAPinnedNumber() {
    Set<DataType> all = Arrays.stream(DataType.values()).collect(Collectors.toSet());
    assertEquals(all, DATA_TYPES.keySet(), "a new data type needs its number pinned here");
  }

  @Test
  void unknownDataTypeNumberIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> DataType.ofNumber(0));
    assertThrows(IllegalArgumentException.class, () -> DataType.ofNumber(99));
  }
}
