/**
 * The log beneath Milvus's message stream, RocksMQ: {@link MessageQueue} is the contract (named
 * channels whose message ids strictly increase and are never reused, durable once {@code produce}
 * returns, read back in order from any position, alone or as consumer groups) and
 * {@link RocksMessageQueue} implements it on an embedded RocksDB with group commit, consumer
 * groups and retention. The queue owns the layout of {@code mq/} on disk. A read of messages that
 * retention has already deleted fails with {@link OutOfRetentionException} instead of skipping
 * them silently. It carries bytes only: the engine's msgstream package gives them types.
 * Thread-safe.
 */
package org.quiver.storage.mq;
