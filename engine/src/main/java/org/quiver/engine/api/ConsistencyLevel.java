package org.quiver.engine.api;

import java.util.Locale;

/**
 * How fresh a read must be, as in Milvus. Each level gives the read a guarantee timestamp; the
 * read waits until the query node's tSafe has reached it, then reads at its own timestamp.
 */
public enum ConsistencyLevel {
  /** Sees every write acknowledged before the read started: guarantee = the read's timestamp. */
  STRONG,
  /** Sees the session's own acknowledged writes: guarantee = the session's last write. */
  SESSION,
  /** Sees what is at most a staleness bound old: guarantee = now minus the bound. */
  BOUNDED,
  /** Sees whatever the query node has applied: no guarantee, never waits. */
  EVENTUALLY;

  /** The level's name as written in SQL, e.g. {@code bounded}. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level called {@code name} (any case), or null. */
  public static ConsistencyLevel ofName(String name) {
    for (ConsistencyLevel level : values()) {
      if (level.sqlName().equalsIgnoreCase(name.strip())) {
        return level;
      }
    }
    return null;
  }
}
