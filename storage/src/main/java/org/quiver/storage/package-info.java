/**
 * The storage layer's shared plumbing: {@link StorageException}, the unchecked I/O failure that
 * storage interfaces such as {@link org.quiver.storage.kv.KvStore} raise, {@link DiskSpace}, which
 * tells a full disk from other I/O failures and measures the space left, and {@link FileTrees},
 * which removes a directory tree. The storage module as a whole is the bottom layer: it depends on
 * no other Quiver module and on no Calcite class (the build's enforcer rule says so), and the
 * engine and the tools above it depend on it, never the other way round. Nothing here keeps state.
 */
package org.quiver.storage;
