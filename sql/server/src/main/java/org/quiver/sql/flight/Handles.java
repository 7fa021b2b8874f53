package org.quiver.sql.flight;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The handles under which results wait for their tickets and prepared statements stay open:
 * random UUIDs, so that no client can guess another's.
 */
final class Handles {
  private Handles() {}

  static ByteString next() {
    return ByteString.copyFrom(UUID.randomUUID().toString(), StandardCharsets.US_ASCII);
  }
}
