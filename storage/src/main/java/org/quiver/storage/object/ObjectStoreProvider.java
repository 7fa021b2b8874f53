package org.quiver.storage.object;

import java.net.URI;
import org.quiver.storage.ServiceLocation;

/**
 * Opens an {@link ObjectStore} kept by a shared service, named by a URI whose scheme is {@link
 * #scheme}; found with {@link java.util.ServiceLoader} (a module lists its provider in {@code
 * META-INF/services}). The engine opens the store of its segment and index files through this
 * when it is told to keep them outside its data directory (its local folders are then a cache).
 */
public interface ObjectStoreProvider {

  /** The URI scheme this provider handles, lower case: {@code s3}. */
  String scheme();

  /**
   * Connects to the store at {@code location}; the caller closes it.
   *
   * @throws IllegalArgumentException if the location is malformed or has parameters the provider
   *     does not know (naming them)
   * @throws org.quiver.storage.StorageException if the store cannot be reached
   */
  ObjectStore open(URI location);

  /** Opens the store at {@code location} with the provider of its scheme. */
  static ObjectStore openAt(URI location) {
    return ServiceLocation.provider(ObjectStoreProvider.class, ObjectStoreProvider::scheme,
        location, "segment store").open(location);
  }
}
