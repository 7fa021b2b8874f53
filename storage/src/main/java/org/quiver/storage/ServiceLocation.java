package org.quiver.storage;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Where a shared service lives, as a URI whose scheme picks the implementation: {@code
 * etcd://host:2379,host2:2379/quiver/} for the catalog, {@code kafka://host:9092/quiver} for the
 * log. Implementations are found with {@link ServiceLoader}, so an application that embeds Quiver
 * carries the client libraries of only the services it names (each lives in its own module).
 */
public final class ServiceLocation {
  private ServiceLocation() {}

  /** No implementation on the class path handles a location's scheme. */
  public static final class NoProviderException extends IllegalArgumentException {
    NoProviderException(String message) {
      super(message);
    }
  }

  /**
   * The provider of {@code type} whose scheme is the location's.
   *
   * @param what the service, for the error ("catalog store", "log")
   * @throws NoProviderException naming the scheme and the schemes on the class path when no
   *     provider handles it
   */
  public static <P> P provider(Class<P> type, Function<P, String> scheme, URI location,
      String what) {
    String wanted = location.getScheme() == null
        ? "" : location.getScheme().toLowerCase(Locale.ROOT);
    List<String> known = new ArrayList<>();
    for (P p : ServiceLoader.load(type, ServiceLocation.class.getClassLoader())) {
      if (scheme.apply(p).equals(wanted)) {
        return p;
      }
      known.add(scheme.apply(p));
    }
    throw new NoProviderException(String.format(
        "no %s for %s: the scheme '%s' is not one of %s on the class path (each service's"
            + " client is a module of its own, such as quiver-storage-etcd)",
        what, location, wanted, known));
  }

  /**
   * The {@code host:port} pairs of a location's authority, which may list several servers
   * separated by commas ({@code etcd://a:2379,b:2379/}); each without a port gets {@code
   * defaultPort}.
   *
   * @throws IllegalArgumentException if the location names no server
   */
  public static List<String> hostsAndPorts(URI location, int defaultPort) {
    String authority = location.getRawAuthority();
    if (authority == null || authority.isBlank()) {
      throw new IllegalArgumentException("no server in " + location
          + ": expected " + location.getScheme() + "://host:port[,host:port...]/...");
    }
    List<String> servers = new ArrayList<>();
    for (String server : authority.split(",")) {
      String s = server.strip();
      if (s.isEmpty()) {
        throw new IllegalArgumentException("empty server name in " + location);
      }
      boolean hasPort = s.startsWith("[") ? s.contains("]:") : s.contains(":");
      servers.add(hasPort ? s : s + ":" + defaultPort);
    }
    return List.copyOf(servers);
  }

  /**
   * The location's path as a key prefix ending in {@code /} (no leading slash), or {@code
   * fallback} when the path is empty: {@code etcd://h/quiver/prod} gives {@code quiver/prod/}.
   */
  public static String prefix(URI location, String fallback) {
    String path = location.getPath() == null ? "" : location.getPath();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.isEmpty()) {
      return fallback;
    }
    return path.endsWith("/") ? path : path + "/";
  }

  /**
   * The location's query parameters ({@code ?a=1&b=2}), decoded, in the order given; a name
   * without {@code =} has the empty value.
   *
   * @throws IllegalArgumentException for a parameter given twice
   */
  public static Map<String, String> query(URI location) {
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = location.getRawQuery();
    if (query == null || query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
          StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
          StandardCharsets.UTF_8);
      if (parameters.put(name, value) != null) {
        throw new IllegalArgumentException(
            "parameter " + name + " is given twice in " + withoutQuery(location) + "?...");
      }
    }
    return parameters;
  }

  /**
   * The location without its query, for messages and logs: a query may carry credentials (an
   * S3 secret key).
   */
  public static URI withoutQuery(URI location) {
    if (location.getRawQuery() == null) {
      return location;
    }
    String text = location.toString();
    return URI.create(text.substring(0, text.indexOf('?')));
  }
}
