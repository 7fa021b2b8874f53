package org.quiver.storage.kv;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.quiver.storage.ServiceLocation;

/**
 * {@code etcd://host:port[,host:port...]/root[?timeoutMs=T]}: an {@link EtcdKvStore} on those
 * members, every key under {@code root/} ({@code quiver/} when the path is empty), each call
 * waiting at most {@code timeoutMs} for etcd (30 s). Port 2379 when none is given.
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
    Duration timeout = EtcdKvStore.DEFAULT_TIMEOUT;
    for (Map.Entry<String, String> parameter : ServiceLocation.query(location).entrySet()) {
      if (!parameter.getKey().equals("timeoutMs")) {
        throw new IllegalArgumentException("unknown parameter " + parameter.getKey() + " in "
            + location + ": the catalog takes timeoutMs");
      }
      try {
        timeout = Duration.ofMillis(Long.parseLong(parameter.getValue()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("timeoutMs must be a whole number in " + location
            + ", got '" + parameter.getValue() + "'", e);
      }
    }
    return EtcdKvStore.connect(endpoints, ServiceLocation.prefix(location, DEFAULT_ROOT), timeout);
  }
}
