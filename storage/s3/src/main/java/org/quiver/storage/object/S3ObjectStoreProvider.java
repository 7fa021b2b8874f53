package org.quiver.storage.object;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.quiver.storage.ServiceLocation;

/**
 * {@code s3://BUCKET/PREFIX?endpoint=URL&region=REGION&pathStyle=true&accessKey=KEY&secretKey=SECRET}:
 * an {@link S3ObjectStore} on that bucket, every key under {@code PREFIX/} (the bucket's root when
 * the path is empty). Every query parameter is optional:
 *
 * <ul>
 *   <li>{@code endpoint}: the service URL, such as {@code http://127.0.0.1:9000} for MinIO or
 *       S3Proxy; absent for AWS's own endpoint of the region;
 *   <li>{@code region}: the signing region, {@code us-east-1} when absent;
 *   <li>{@code pathStyle}: {@code true} for {@code http://host/bucket/key} requests, as most
 *       S3-compatible servers want; {@code false} (virtual-host style) when absent;
 *   <li>{@code accessKey} and {@code secretKey}: fixed credentials, both or neither; when absent
 *       the AWS SDK's default chain is used (the environment's {@code AWS_ACCESS_KEY_ID} and
 *       {@code AWS_SECRET_ACCESS_KEY}, a profile, an instance role).
 * </ul>
 *
 * Values are URL-encoded. Any other parameter is refused, naming it, so that a typo does not
 * silently fall back to a default. The other settings are {@link S3Settings.Builder}'s defaults.
 */
public final class S3ObjectStoreProvider implements ObjectStoreProvider {
  static final Set<String> PARAMETERS =
      Set.of("endpoint", "region", "pathStyle", "accessKey", "secretKey");

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public ObjectStore open(URI location) {
    return S3ObjectStore.open(settings(location));
  }

  /**
   * The settings a location names.
   *
   * @throws IllegalArgumentException if it names no bucket, has unknown parameters, or a bad value
   */
  public static S3Settings settings(URI location) {
    String bucket = location.getHost() != null ? location.getHost() : location.getAuthority();
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("no bucket in " + redacted(location)
          + ": expected s3://bucket/prefix?endpoint=...&region=...");
    }
    Map<String, String> query = ServiceLocation.query(location);
    Set<String> unknown = new TreeSet<>(query.keySet());
    unknown.removeAll(PARAMETERS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown parameters " + unknown + " in "
          + redacted(location) + "; an s3:// location takes " + new TreeSet<>(PARAMETERS));
    }
    S3Settings.Builder b = S3Settings.builder(bucket)
        .prefix(ServiceLocation.prefix(location, ""))
        .endpoint(query.get("endpoint"));
    if (query.containsKey("region")) {
      b.region(query.get("region"));
    }
    String pathStyle = query.get("pathStyle");
    if (pathStyle != null) {
      if (!pathStyle.equalsIgnoreCase("true") && !pathStyle.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            "pathStyle must be true or false, got '" + pathStyle + "' in " + redacted(location));
      }
      b.pathStyle(Boolean.parseBoolean(pathStyle));
    }
    b.credentials(query.get("accessKey"), query.get("secretKey"));
    return b.build();
  }

  /** The location without its query, which may hold a secret key, for messages. */
  static String redacted(URI location) {
    URI shown = ServiceLocation.withoutQuery(location);
    return shown == location ? shown.toString() : shown + "?...";
  }
}
