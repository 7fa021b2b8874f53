package org.quiver.storage.mq;

import java.net.URI;
import org.quiver.storage.ServiceLocation;
import org.quiver.storage.kv.KvStore;

/**
 * Opens a {@link MessageQueue} kept by a shared service, named by a URI whose scheme is {@link
 * #scheme}; found with {@link java.util.ServiceLoader} (a module lists its provider in {@code
 * META-INF/services}). The engine opens its log through this when it is told to keep it outside
 * its data directory.
 */
public interface MessageQueueProvider {

  /** The URI scheme this provider handles, lower case: {@code kafka}. */
  String scheme();

  /**
   * Connects to the log at {@code location}, asking the service once, so that a log nobody
   * answers for fails here rather than at the first write.
   *
   * @param positions where consumer-group positions are kept: the engine's catalog store, so that
   *     a position and the catalog entry it belongs with live in the same place
   * @throws org.quiver.storage.StorageException when the service does not answer
   */
  MessageQueue open(URI location, KvStore positions);

  /** Opens the log at {@code location} with the provider of its scheme. */
  static MessageQueue openAt(URI location, KvStore positions) {
    return ServiceLocation.provider(MessageQueueProvider.class, MessageQueueProvider::scheme,
        location, "log").open(location, positions);
  }
}
