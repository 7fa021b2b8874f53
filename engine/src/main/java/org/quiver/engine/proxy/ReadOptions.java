package org.quiver.engine.proxy;

import org.quiver.engine.rootcoord.ConsistencyLevel;

/**
 * How a search or scan reads, beyond what it reads.
 *
 * @param consistency the consistency level; null: the table's default
 * @param sessionWriteTs for SESSION: a timestamp at or after the session's last acknowledged write
 *     (0 if it wrote nothing)
 * @param stalenessMs for BOUNDED: how old, at most, the data read may be
 * @param asOfMillis time travel: read the table as it was at this physical time (milliseconds
 *     since the epoch), or -1 to read the present
 */
public record ReadOptions(
    ConsistencyLevel consistency, long sessionWriteTs, long stalenessMs, long asOfMillis) {
  /** The table's default consistency, at the present. */
  public static final ReadOptions DEFAULT = new ReadOptions(null, 0, 0, -1);

  public ReadOptions {
    if (stalenessMs < 0) {
      throw new IllegalArgumentException("stalenessMs must be >= 0, got " + stalenessMs);
    }
  }

  public boolean timeTravel() {
    return asOfMillis >= 0;
  }
}
