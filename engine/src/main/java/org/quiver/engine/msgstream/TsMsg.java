package org.quiver.engine.msgstream;

/** A typed message of a collection's channels, stamped with the timestamp of what wrote it. */
public sealed interface TsMsg permits DmlMessage, TimeTickMsg {
  long collectionId();

  /** The timestamp of the task that wrote it: every row and delete in it carries this time. */
  long timestamp();

  MessageType type();
}
