/**
 * Milvus's message stream: typed messages over the byte log of storage.mq. {@link MsgStream}
 * produces a collection's messages to its DML channels, split so that every version of a row goes
 * to the channel its primary key hashes to ({@link Repack}), and reads them back as
 * {@link MsgPack}s with their positions. {@link MessageCodec} owns the binary form of a message in
 * the log; its version byte and the {@link MessageType} numbers are persisted, so logs already
 * written must stay readable. The proxy writes through this package; the data node and the query
 * node read through it, each keeping its own positions. Thread-safe.
 */
package org.quiver.engine.msgstream;
