package org.quiver.engine.api;


/**
 * How a search or scan reads, beyond what it reads.
 *
 * @param consistency the consistency level; null: the table's default
 * @param sessionWriteTs for SESSION: a timestamp at or after the session's last acknowledged write
 *     (0 if it wrote nothing)
 * @param stalenessMs for BOUNDED: how old, at most, the data read may be
 * @param asOfMillis time travel: read the table as it was at this physical time (milliseconds
 *     since the epoch), or -1 to read the present
 * @param tableVersion time travel: the id of the table version to read (a live or a dropped
 *     collection, as {@link Engine#tableAt} found it), or -1 for the version of the table's
 *     name that existed at {@code asOfMillis}
 */
public record ReadOptions(ConsistencyLevel consistency, long sessionWriteTs, long stalenessMs,
    long asOfMillis, long tableVersion) {
  /** The table's default consistency, at the present. */
  public static final ReadOptions DEFAULT = new ReadOptions(null, 0, 0, -1);

  public ReadOptions(
      ConsistencyLevel consistency, long sessionWriteTs, long stalenessMs, long asOfMillis) {
    this(consistency, sessionWriteTs, stalenessMs, asOfMillis, -1);
  }

  /** These options reading table version {@code collectionId}. */
  public ReadOptions withTableVersion(long collectionId) {
    return new ReadOptions(consistency, sessionWriteTs, stalenessMs, asOfMillis, collectionId);
  }

  public ReadOptions {
    if (stalenessMs < 0) {
      throw new IllegalArgumentException("stalenessMs must be >= 0, got " + stalenessMs);
    }
  }

  public boolean timeTravel() {
    return asOfMillis >= 0;
  }
}
