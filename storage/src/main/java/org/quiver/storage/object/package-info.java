/**
 * Immutable files of a cluster (segment and index files) under '/'-separated keys: {@link
 * ObjectStore} is the contract (put a file or bytes, get to a file or an array with the CRC32C
 * checked, read a range, stat, list a prefix in key order, delete a key or a prefix) and {@link
 * LocalObjectStore} its implementation in a local folder, for a single process and tests. Every
 * object carries the CRC32C of its bytes, the checksum segment manifests use; a mismatch on a
 * whole-object read is a {@link CorruptObjectException} naming the key. The S3 implementation
 * shares this package name but lives in its own module, quiver-storage-s3, so that the embedded
 * engine carries no AWS SDK. The engine does not use this package yet.
 */
package org.quiver.storage.object;
