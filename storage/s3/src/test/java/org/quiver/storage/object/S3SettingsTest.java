package org.quiver.storage.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

  @Test
  void defaults() {
    S3Settings s = S3Settings.builder("b").build();
    assertNull(s.endpoint());
    assertEquals("us-east-1", s.region());
    assertNull(s.accessKey());
    assertEquals("", s.prefix());
    assertFalse(s.pathStyle());
    assertEquals(32L << 20, s.multipartThreshold());
    assertEquals(16 << 20, s.partSize());
    assertEquals(3, s.maxAttempts());
  }

  @Test
  void rejectsWhatS3WouldRefuseOrWhatIsHalfGiven() {
    assertThrows(IllegalArgumentException.class, () -> S3Settings.builder(" ").build());
    assertThrows(
        IllegalArgumentException.class, () -> S3Settings.builder("b").prefix("cluster").build());
    assertThrows(
        IllegalArgumentException.class, () -> S3Settings.builder("b").prefix("/cluster/").build());
    assertThrows(
        IllegalArgumentException.class, () -> S3Settings.builder("b").prefix("a//").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> S3Settings.builder("b").credentials("key", null).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> S3Settings.builder("b").multipart(10L << 20, (5 << 20) - 1).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> S3Settings.builder("b").multipart(5L << 20, 6 << 20).build());
    assertThrows(IllegalArgumentException.class, () -> S3Settings.builder("b").maxAttempts(0).build());
    assertEquals("a/b/", S3Settings.builder("b").prefix("a/b/").build().prefix());
  }

  @Test
  void neverPrintsTheSecret() {
    S3Settings s =
        S3Settings.builder("bucket")
            .endpoint("http://127.0.0.1:9000")
            .credentials("the-key", "the-secret")
            .prefix("c1/")
            .build();
    assertEquals(URI.create("http://127.0.0.1:9000"), s.endpoint());
    assertEquals("s3://bucket/c1/ at http://127.0.0.1:9000", s.location());
    assertTrue(s.toString().contains("the-key"), s.toString());
    assertFalse(s.toString().contains("the-secret"), s.toString());
    assertEquals("c2/", s.withPrefix("c2/").prefix());
    assertEquals("the-secret", s.withPrefix("c2/").secretKey());
  }
}
