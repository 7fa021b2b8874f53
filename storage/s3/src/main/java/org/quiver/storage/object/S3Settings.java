package org.quiver.storage.object;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how an {@link S3ObjectStore} reaches S3.
 *
 * @param endpoint the service URL, such as {@code http://127.0.0.1:9000} for MinIO or S3Proxy;
 *     null for AWS's own endpoint of the region
 * @param region the signing region
 * @param accessKey with {@code secretKey}, fixed credentials; both null to use the SDK's default
 *     chain (environment, profile, instance role)
 * @param secretKey see {@code accessKey}; never printed
 * @param bucket the bucket, which must exist
 * @param prefix the folder of every key inside the bucket, empty or ending with '/', so that
 *     clusters can share a bucket
 * @param pathStyle {@code http://host/bucket/key} rather than {@code http://bucket.host/key}, as
 *     most S3-compatible servers want
 * @param multipartThreshold objects larger than this many bytes go up in parts
 * @param partSize the size of each part but the last (S3 wants at least 5 MiB)
 * @param maxAttempts how often a request is tried before it fails (1: no retry)
 * @param connectTimeout the bound on opening a connection
 * @param attemptTimeout the bound on one attempt of a request, a part's upload included
 * @param callTimeout the bound on a request with all its attempts and back-off
 */
public record S3Settings(
    URI endpoint,
    String region,
    String accessKey,
    String secretKey,
    String bucket,
    String prefix,
    boolean pathStyle,
    long multipartThreshold,
    int partSize,
    int maxAttempts,
    Duration connectTimeout,
    Duration attemptTimeout,
    Duration callTimeout) {

  /** The smallest part S3 accepts, but for the last one. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  public S3Settings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("an S3 bucket name is needed");
    }
    if (!prefix.isEmpty()) {
      ObjectKeys.checkPrefix(prefix);
      if (!prefix.endsWith("/")) {
        throw new IllegalArgumentException("an S3 key prefix must end with '/', got '" + prefix + "'");
      }
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("give both the S3 access key and the secret key, or neither");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "an S3 part must be at least " + MIN_PART_SIZE + " bytes, got " + partSize);
    }
    if (multipartThreshold < partSize) {
      throw new IllegalArgumentException(
          "the multipart threshold (" + multipartThreshold + ") must be at least the part size ("
              + partSize + ")");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
  }

  /** Settings for {@code bucket} with the defaults of {@link Builder}. */
  public static Builder builder(String bucket) {
    return new Builder(bucket);
  }

  /** A copy with another key prefix. */
  public S3Settings withPrefix(String newPrefix) {
    return new S3Settings(
        endpoint, region, accessKey, secretKey, bucket, newPrefix, pathStyle, multipartThreshold,
        partSize, maxAttempts, connectTimeout, attemptTimeout, callTimeout);
  }

  /** Where the store's objects live, for messages: no credentials. */
  public String location() {
    return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
  }

  @Override
  public String toString() {
    return "S3Settings[" + location() + ", region " + region
        + (accessKey == null ? ", default credentials" : ", access key " + accessKey)
        + ", path style " + pathStyle + ", multipart above " + multipartThreshold + " bytes in parts of "
        + partSize + ", " + maxAttempts + " attempts, connect " + connectTimeout + ", attempt "
        + attemptTimeout + ", call " + callTimeout + "]";
  }

  /**
   * Builds settings. Defaults: no endpoint (AWS), region us-east-1, the SDK's default credentials,
   * empty prefix, virtual-host style, parts of 16 MiB above 32 MiB, 3 attempts, connect in 5 s,
   * an attempt within 2 minutes, a call within 5 minutes.
   */
  public static final class Builder {
    private URI endpoint;
    private String region = "us-east-1";
    private String accessKey;
    private String secretKey;
    private final String bucket;
    private String prefix = "";
    private boolean pathStyle;
    private long multipartThreshold = 32L * 1024 * 1024;
    private int partSize = 16 * 1024 * 1024;
    private int maxAttempts = 3;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration attemptTimeout = Duration.ofMinutes(2);
    private Duration callTimeout = Duration.ofMinutes(5);

    private Builder(String bucket) {
      this.bucket = bucket;
    }

    public Builder endpoint(String url) {
      this.endpoint = url == null ? null : URI.create(url);
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    public Builder credentials(String accessKey, String secretKey) {
      this.accessKey = accessKey;
      this.secretKey = secretKey;
      return this;
    }

    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    public Builder multipart(long threshold, int partSize) {
      this.multipartThreshold = threshold;
      this.partSize = partSize;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder timeouts(Duration connect, Duration attempt, Duration call) {
      this.connectTimeout = connect;
      this.attemptTimeout = attempt;
      this.callTimeout = call;
      return this;
    }

    public S3Settings build() {
      return new S3Settings(
          endpoint, region, accessKey, secretKey, bucket, prefix, pathStyle, multipartThreshold,
          partSize, maxAttempts, connectTimeout, attemptTimeout, callTimeout);
    }
  }
}
