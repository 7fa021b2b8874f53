package org.quiver.storage.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.quiver.fixtures.LocalS3;

/** {@code s3://} locations: what they name, what they refuse, and a store opened from one. */
class S3ObjectStoreProviderTest {

  @Test
  void aLocationNamesTheBucketPrefixEndpointAndCredentials() {
    S3Settings s = S3ObjectStoreProvider.settings(URI.create(
        "s3://data/quiver/prod?endpoint=http://127.0.0.1:9000&region=eu-west-1&pathStyle=true"
            + "&accessKey=ak&secretKey=" + URLEncoder.encode("s/k+1", StandardCharsets.UTF_8)));
    assertEquals("data", s.bucket());
    assertEquals("quiver/prod/", s.prefix());
    assertEquals(URI.create("http://127.0.0.1:9000"), s.endpoint());
    assertEquals("eu-west-1", s.region());
    assertTrue(s.pathStyle());
    assertEquals("ak", s.accessKey());
    assertEquals("s/k+1", s.secretKey(), "values are URL-decoded");
  }

  @Test
  void withoutParametersItIsAwsWithTheDefaultCredentials() {
    S3Settings s = S3ObjectStoreProvider.settings(URI.create("s3://data"));
    assertEquals("", s.prefix());
    assertNull(s.endpoint());
    assertEquals("us-east-1", s.region());
    assertFalse(s.pathStyle());
    assertNull(s.accessKey(), "the SDK's default chain");
  }

  @Test
  void unknownParametersAndBadValuesAreRefusedByName() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> S3ObjectStoreProvider.settings(URI.create(
            "s3://data/p?endpont=http://h:1&region=x&secretKey=hidden&accessKey=a&colour=red")));
    assertTrue(unknown.getMessage().contains("[colour, endpont]"), unknown.getMessage());
    assertFalse(unknown.getMessage().contains("hidden"), "no secret in the message");
    IllegalArgumentException style = assertThrows(IllegalArgumentException.class,
        () -> S3ObjectStoreProvider.settings(URI.create("s3://data?pathStyle=yes")));
    assertTrue(style.getMessage().contains("pathStyle"), style.getMessage());
    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> S3ObjectStoreProvider.settings(URI.create("s3://data?accessKey=a")));
    assertTrue(half.getMessage().contains("secret key"), half.getMessage());
    IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
        () -> ObjectStoreProvider.openAt(URI.create("gs://data/p")));
    assertTrue(scheme.getMessage().contains("'gs'") && scheme.getMessage().contains("s3"),
        scheme.getMessage());
  }

  @Test
  void openAtFindsTheS3ProviderAndTheStoreWorks() {
    try (LocalS3 s3 = LocalS3.start()) {
      URI location = URI.create("s3://" + s3.bucket() + "/cluster-a?endpoint=" + s3.endpoint()
          + "&region=" + s3.region() + "&pathStyle=true&accessKey=" + s3.accessKey()
          + "&secretKey=" + s3.secretKey());
      try (ObjectStore store = ObjectStoreProvider.openAt(location)) {
        assertInstanceOf(S3ObjectStore.class, store);
        store.put("segments/1/a", new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, store.getBytes("segments/1/a"));
        assertEquals("cluster-a/", ((S3ObjectStore) store).settings().prefix());
      }
    }
  }
}
