package org.quiver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/** The rules SharedServices applies before anything is opened. */
class SharedServicesTest {
  @TempDir Path dir;

  @Test
  void theDataFolderIsBoundWhileTheLogOrTheSegmentsLiveOnlyThere() {
    QuiverConfig local = QuiverConfig.at(dir).withCatalog(URI.create("etcd://h:2379/q/"));
    URI log = URI.create("kafka://h:9092/q");
    URI segments = URI.create("s3://bucket/q");
    assertTrue(SharedServices.dataFolderHoldsState(local));
    assertTrue(SharedServices.dataFolderHoldsState(local.withLog(log)), "segments are local");
    assertTrue(SharedServices.dataFolderHoldsState(local.withSegments(segments)), "log is local");
    assertFalse(SharedServices.dataFolderHoldsState(local.withLog(log).withSegments(segments)),
        "only a cache once both are shared");
  }

  @Test
  void aSegmentStoreWithNoModuleIs0A000AndMessagesCarryNoQuery() {
    QuiverException e = assertThrows(QuiverException.class, () -> SharedServices.openSegments(
        URI.create("s3://bucket/p?secretKey=hidden"), dir));
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, e.code());
    assertTrue(e.getMessage().contains("'s3'"), e.getMessage());
    assertFalse(e.getMessage().contains("hidden"), e.getMessage());
    assertEquals(URI.create("s3://bucket/p"),
        org.quiver.storage.ServiceLocation.withoutQuery(URI.create("s3://bucket/p?secretKey=hidden")));
  }
}
