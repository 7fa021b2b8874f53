package org.quiver.storage.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.fixtures.LocalS3;
import org.quiver.storage.StorageException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The object-store contract against a real S3-compatible server (S3Proxy over a temporary folder,
 * started once for this class), and what only S3 has: multipart uploads, shared buckets, a server
 * that goes away.
 */
class S3ObjectStoreTest extends ObjectStoreContractTest {
  private static LocalS3 s3;

  @BeforeAll
  static void startS3() {
    s3 = LocalS3.start();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static S3Settings.Builder settings(LocalS3 server) {
    return S3Settings.builder(server.bucket())
        .endpoint(server.endpoint())
        .region(server.region())
        .credentials(server.accessKey(), server.secretKey())
        .pathStyle(true);
  }

  /** Each test's temporary directory names its own prefix, so tests do not see each other. */
  private static String prefixOf(Path dir) {
    return "test/" + dir.getFileName() + "/";
  }

  @Override
  protected ObjectStore open(Path dir) {
    return S3ObjectStore.open(settings(s3).prefix(prefixOf(dir)).build());
  }

  /**
   * Writes the object again with one bit flipped and the metadata it had, as a disk under the
   * server that rots would leave it.
   */
  @Override
  protected void corrupt(Path dir, String key) {
    S3Settings settings = settings(s3).prefix(prefixOf(dir)).build();
    try (S3Client client = S3ObjectStore.client(settings)) {
      String fullKey = settings.prefix() + key;
      ResponseBytes<GetObjectResponse> object =
          client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(fullKey));
      byte[] bytes = object.asByteArray();
      bytes[1] ^= 0x10;
      Map<String, String> metadata = object.response().metadata();
      client.putObject(
          b -> b.bucket(settings.bucket()).key(fullKey).metadata(metadata),
          RequestBody.fromBytes(bytes));
    }
  }

  @Test
  void largeObjectsGoUpInParts() throws IOException {
    int partSize = S3Settings.MIN_PART_SIZE;
    int size = 2 * partSize + 777;
    byte[] content = random(size, 7);
    Path source = Files.write(dir.resolve("parts.bin"), content);
    S3Settings settings = settings(s3).prefix(prefixOf(dir)).multipart(partSize, partSize).build();
    try (S3ObjectStore store = S3ObjectStore.open(settings);
        S3Client client = S3ObjectStore.client(settings)) {
      assertEquals(crc32c(content), store.put("from-file", source).crc32c());
      assertEquals(crc32c(content), store.put("from-bytes", content).crc32c());
      for (String key : List.of("from-file", "from-bytes")) {
        // A multipart object's ETag is the MD5 of its parts' MD5s followed by "-<parts>".
        String etag =
            client.headObject(b -> b.bucket(settings.bucket()).key(settings.prefix() + key)).eTag();
        assertTrue(etag.replace("\"", "").endsWith("-3"), key + " went up in 3 parts: " + etag);
        assertArrayEquals(content, store.getBytes(key), key);
        assertArrayEquals(
            java.util.Arrays.copyOfRange(content, partSize - 10, partSize + 10),
            store.getRange(key, partSize - 10, 20),
            "a range across the parts' seam");
      }
      assertEquals(
          List.of(new ObjectEntry("from-bytes", size), new ObjectEntry("from-file", size)),
          store.list(""));
      byte[] small = random(1000, 8);
      store.put("small", small);
      String etag =
          client.headObject(b -> b.bucket(settings.bucket()).key(settings.prefix() + "small")).eTag();
      assertFalse(etag.contains("-"), "a small object is one put: " + etag);
    }
  }

  @Test
  void storesOnTheSamePrefixShareObjectsAndPrefixesIsolate() {
    S3Settings a = settings(s3).prefix(prefixOf(dir) + "cluster-a/").build();
    S3Settings b = a.withPrefix(prefixOf(dir) + "cluster-b/");
    try (S3ObjectStore writer = S3ObjectStore.open(a);
        S3ObjectStore reader = S3ObjectStore.open(a);
        S3ObjectStore other = S3ObjectStore.open(b)) {
      writer.put("segments/1/data.arrow", bytes("from a"));
      other.put("segments/1/data.arrow", bytes("from b"));
      assertArrayEquals(bytes("from a"), reader.getBytes("segments/1/data.arrow"));
      assertArrayEquals(bytes("from b"), other.getBytes("segments/1/data.arrow"));
      assertEquals(List.of("segments/1/data.arrow"), keys(other.list("")));
      assertEquals(1, other.deletePrefix(""));
      assertEquals(List.of(), other.list(""));
      assertArrayEquals(bytes("from a"), reader.getBytes("segments/1/data.arrow"));
    }
    try (S3ObjectStore whole = S3ObjectStore.open(a.withPrefix(prefixOf(dir)))) {
      assertEquals(List.of("cluster-a/segments/1/data.arrow"), keys(whole.list("")));
    }
  }

  @Test
  void anObjectWithoutAChecksumIsNotTrusted() {
    S3Settings settings = settings(s3).prefix(prefixOf(dir)).build();
    try (S3ObjectStore store = S3ObjectStore.open(settings);
        S3Client client = S3ObjectStore.client(settings)) {
      client.putObject(
          b -> b.bucket(settings.bucket()).key(settings.prefix() + "foreign"),
          RequestBody.fromBytes(bytes("written by someone else")));
      CorruptObjectException e =
          assertThrows(CorruptObjectException.class, () -> store.getBytes("foreign"));
      assertEquals("foreign", e.key());
      assertTrue(e.reason().contains("crc32c"), e.reason());
      assertThrows(CorruptObjectException.class, () -> store.stat("foreign"));
    }
  }

  @Test
  void wrongCredentialsAndAMissingBucketFailClearly() {
    StorageException refused =
        assertThrows(
            StorageException.class,
            () -> S3ObjectStore.open(settings(s3).credentials("quiver-test", "wrong").build()));
    assertTrue(refused.getMessage().contains("403"), refused.getMessage());
    StorageException missing =
        assertThrows(
            StorageException.class,
            () -> S3ObjectStore.open(S3Settings.builder("no-such-bucket")
                .endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey())
                .pathStyle(true).build()));
    assertTrue(missing.getMessage().contains("no-such-bucket"), missing.getMessage());
    assertTrue(missing.getMessage().contains("404"), missing.getMessage());
  }

  @Test
  void aKilledServerFailsEveryCallWithinBoundedTime() {
    LocalS3 doomed = LocalS3.start();
    S3Settings settings =
        settings(doomed)
            .maxAttempts(3)
            .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10))
            .build();
    try (S3ObjectStore store = S3ObjectStore.open(settings)) {
      store.put("before", bytes("x"));
      doomed.close();
      assertFalse(doomed.isAlive());
      for (Runnable call :
          List.<Runnable>of(
              () -> store.put("after", bytes("y")),
              () -> store.getBytes("before"),
              () -> store.stat("before"),
              () -> store.list(""))) {
        long start = System.nanoTime();
        StorageException e = assertThrows(StorageException.class, call::run);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "failed after " + took);
        assertTrue(e.getMessage().contains(doomed.endpoint()), e.getMessage());
        assertFalse(e instanceof ObjectNotFoundException, "an unreachable server is not a miss");
      }
      StorageException put =
          assertThrows(StorageException.class, () -> store.put("segments/9/data.arrow", bytes("y")));
      assertTrue(put.getMessage().contains("segments/9/data.arrow"), put.getMessage());
    } finally {
      doomed.close();
    }
    assertThrows(StorageException.class, () -> S3ObjectStore.open(settings));
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    // A real socket that accepts connections and never answers: each attempt ends at its timeout.
    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        accepted.add(silent.accept());
                      }
                    } catch (IOException closed) {
                      // The test is over.
                    }
                  });
      S3Settings settings =
          S3Settings.builder("quiver")
              .endpoint("http://127.0.0.1:" + silent.getLocalPort())
              .credentials("a", "b")
              .pathStyle(true)
              .maxAttempts(2)
              .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(4))
              .build();
      long start = System.nanoTime();
      StorageException e = assertThrows(StorageException.class, () -> S3ObjectStore.open(settings));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "failed after " + took);
      assertTrue(e.getMessage().contains("quiver"), e.getMessage());
      silent.close();
      acceptor.join();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  private static List<String> keys(List<ObjectEntry> entries) {
    return entries.stream().map(ObjectEntry::key).toList();
  }
}
