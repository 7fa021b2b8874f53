package org.quiver.storage.kv;

import java.net.URI;
import org.quiver.storage.ServiceLocation;

/**
 * Opens a {@link KvStore} kept by a shared service, named by a URI whose scheme is {@link
 * #scheme}; found with {@link java.util.ServiceLoader} (a module lists its provider in {@code
 * META-INF/services}). The engine opens its catalog through this when it is told to keep it
 * outside its data directory.
 */
public interface KvStoreProvider {

  /** The URI scheme this provider handles, lower case: {@code etcd}. */
  String scheme();

  /** Connects to the store at {@code location}; the caller closes it. */
  KvStore open(URI location);

  /** Opens the store at {@code location} with the provider of its scheme. */
  static KvStore openAt(URI location) {
    return ServiceLocation.provider(KvStoreProvider.class, KvStoreProvider::scheme, location,
        "catalog store").open(location);
  }
}
