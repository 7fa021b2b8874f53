/**
 * The durable, ordered key-value store under the root coordinator's catalog: {@link KvStore} is
 * the contract (every write returns only once it is synced) and {@link RocksKvStore} its
 * implementation on an embedded RocksDB, which the single-process engine uses. The catalog, the
 * timestamp oracle's window, id allocation and channel checkpoints live in it as keys that the
 * engine's rootcoord package lays out; this package knows nothing of what they mean.
 * Implementations are thread-safe, and each passes the one shared contract test. The etcd
 * implementation for a cluster shares this package name but lives in its own module,
 * quiver-storage-etcd, so that the embedded engine carries no gRPC.
 */
package org.quiver.storage.kv;
