package org.quiver.storage.kv;

import java.net.URI;
import java.util.List;
import org.quiver.storage.ServiceLocation;

/**
 * {@code etcd://host:port[,host:port...]/root}: an {@link EtcdKvStore} on those members, every
 * key under {@code root/} ({@code quiver/} when the path is empty). Port 2379 when none is given.
 */
public final class EtcdKvStoreProvider implements KvStoreProvider {
  static final int DEFAULT_PORT = 2379;
  static final String DEFAULT_ROOT = "quiver/";

  @Override
  public String scheme() {
    return "etcd";
  }

  @Override
  public KvStore open(URI location) {
    List<String> endpoints = ServiceLocation.hostsAndPorts(location, DEFAULT_PORT).stream()
        .map(server -> "http://" + server)
        .toList();
    return EtcdKvStore.connect(endpoints, ServiceLocation.prefix(location, DEFAULT_ROOT));
  }
}
