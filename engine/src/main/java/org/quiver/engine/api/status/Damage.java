package org.quiver.engine.api.status;

import java.nio.file.Path;

/**
 * A file of a table that failed its check, and what the engine does about it.
 *
 * @param collectionId the table's id
 * @param segmentId the segment the file belongs to
 * @param file the file that failed (a missing file is named too)
 * @param problem what is wrong with it, in words
 * @param effect what the damage costs
 */
public record Damage(long collectionId, long segmentId, Path file, String problem, Effect effect) {

  /** What a damaged file costs. */
  public enum Effect {
    /** A segment's data, delete log or key statistics: every read of the table fails with XX001. */
    TABLE_UNREADABLE("reads of the table fail with XX001 until the file is restored"),
    /** An index file: rebuilt from the segment's verified data; exact search until then. */
    INDEX_REBUILT("the index is rebuilt from the segment's data");

    private final String description;

    Effect(String description) {
      this.description = description;
    }

    /** The consequence, in words, for {@code sys.damage} and {@code quiver check}. */
    public String description() {
      return description;
    }
  }
}
