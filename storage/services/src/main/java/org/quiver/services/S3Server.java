package org.quiver.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An S3 endpoint on loopback: S3Proxy over a folder (jclouds' filesystem blob store, one
 * sub-folder per bucket), checking the credentials it is given (AWS signature v2 or v4), in a JVM
 * of its own.
 *
 * <p>S3Proxy runs from its self-contained jar ({@code org.gaul:s3proxy}, classifier {@code
 * jar-with-dependencies}), named by the system property {@link #JAR_PROPERTY}. The jar carries its
 * own AWS SDK, Jetty and logging, so it runs on a class path of its own, never its caller's.
 */
public final class S3Server {
  public static final String JAR_PROPERTY = "quiver.s3proxy.jar";

  private final ServiceProcess process;
  private final Path data;
  private final String endpoint;

  private S3Server(ServiceProcess process, Path data, String endpoint) {
    this.process = process;
    this.data = data;
    this.endpoint = endpoint;
  }

  /** The S3Proxy jar that {@link #JAR_PROPERTY} names. */
  public static Path jar() {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || jar.isBlank() || jar.startsWith("${")) {
      throw new IllegalStateException("S3Proxy's jar is not known: set -D" + JAR_PROPERTY
          + "=<path of s3proxy-<version>-jar-with-dependencies.jar> (the launcher sets it; a"
          + " module that starts S3Proxy in its tests resolves the jar as a test dependency and"
          + " passes its path, as quiver-storage-s3's pom does)");
    }
    Path path = Path.of(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("S3Proxy jar " + path + " does not exist");
    }
    return path;
  }

  /**
   * Starts S3Proxy with its buckets as folders under {@code dir/data} and its configuration in
   * {@code dir}, and waits until it answers HTTP.
   */
  public static S3Server start(Path jar, Path dir, Path output, int port, String accessKey,
      String secretKey, boolean detached) {
    String endpoint = "http://127.0.0.1:" + port;
    Path data = dir.resolve("data");
    Path conf = dir.resolve("s3proxy.conf");
    try {
      Files.createDirectories(data);
      Files.writeString(conf, String.join("\n",
          "s3proxy.endpoint=" + endpoint,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + accessKey,
          "s3proxy.credential=" + secretKey,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + data,
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure S3Proxy in " + dir, e);
    }
    List<String> command = new ArrayList<>();
    command.add(ServiceProcess.javaBinary());
    // A small, quickly started server: C1 only, a serial collector, a bounded heap.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m"));
    command.addAll(List.of("-jar", jar.toString(), "--properties", conf.toString()));
    S3Server s3 = new S3Server(ServiceProcess.start("S3Proxy", command, output, detached), data,
        endpoint);
    try {
      s3.awaitReady();
    } catch (RuntimeException e) {
      s3.process.kill();
      throw e;
    }
    return s3;
  }

  /** Waits until the server answers HTTP (after a start or a restart). */
  public void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    // Any HTTP answer will do: unsigned, the request is refused with 403, which S3Proxy only
    // sends once it serves requests.
    HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint + "/"))
        .timeout(Duration.ofSeconds(2)).build();
    process.awaitReady(ServiceProcess.START_TIMEOUT,
        () -> http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() > 0);
  }

  /**
   * Makes a bucket: with the filesystem blob store a bucket is a folder under the data folder, so
   * no S3 client is needed here.
   */
  public void createBucket(String name) {
    try {
      Files.createDirectories(data.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create bucket " + name, e);
    }
  }

  /** The server's URL, such as {@code http://127.0.0.1:9000}. */
  public String endpoint() {
    return endpoint;
  }

  /** The folder that holds the buckets. */
  public Path data() {
    return data;
  }

  public ServiceProcess process() {
    return process;
  }
}
