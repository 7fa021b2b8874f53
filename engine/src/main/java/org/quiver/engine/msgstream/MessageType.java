package org.quiver.engine.msgstream;

import java.util.Arrays;

/** Types of log messages, numbered as Milvus numbers them; the numbers are persisted in the log. */
public enum MessageType {
  CREATE_COLLECTION(100),
  DROP_COLLECTION(101),
  INSERT(400),
  DELETE(401),
  FLUSH(402),
  TIME_TICK(1200);

  private final int number;

  MessageType(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public static MessageType ofNumber(int number) {
    return Arrays.stream(values())
        .filter(t -> t.number == number)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown message type " + number));
  }
}
