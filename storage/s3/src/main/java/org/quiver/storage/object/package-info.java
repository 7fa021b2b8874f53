/**
 * The object-store contract of quiver-storage on S3, in a module of its own (quiver-storage-s3) so
 * that the single-process engine and the applications that embed Quiver carry no AWS SDK: {@link
 * S3ObjectStore} keeps a cluster's segment and index files in a bucket under a key prefix, through
 * the AWS SDK v2 and the JDK's HTTP client. Each object's CRC32C is its user metadata, checked on
 * every whole read; large objects go up in parts; requests are retried a bounded number of times
 * within bounded time. It passes the same contract test as the folder store and is thread-safe.
 * {@link S3ObjectStoreProvider} opens it from an {@code s3://bucket/prefix?...} location, which
 * is how the engine finds the store of its segments ({@code QuiverConfig.segments}). It depends on
 * quiver-storage and the SDK's S3 module only.
 */
package org.quiver.storage.object;
