/**
 * The key-value contract of quiver-storage on etcd, in a module of its own (quiver-storage-etcd)
 * so that the single-process engine and the applications that embed Quiver carry no gRPC or Netty:
 * {@link EtcdKvStore} keeps a cluster's catalog in etcd through jetcd. Every key lives under a
 * root prefix, so several stores can share one etcd; a multi-key save is one etcd transaction,
 * bounded by the server's limit on operations per transaction; a prefix scan reads one revision.
 * It passes the same contract test as the RocksDB store and is thread-safe. An engine opened
 * with a catalog location {@code etcd://...} finds it through {@link EtcdKvStoreProvider} (listed
 * for {@link java.util.ServiceLoader}); {@code quiver bench storage} measures it. It depends on
 * quiver-storage and jetcd only.
 */
package org.quiver.storage.kv;
