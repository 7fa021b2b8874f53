package org.quiver.engine.querynode;

import java.lang.foreign.Arena;

/**
 * A sealed segment's mapped data file, with the scans reading it. The query node retires it when
 * it lets the segment go (compaction, release, drop); it is unmapped then, or when the last scan
 * still reading it finishes, so that a long scan never reads unmapped memory.
 */
final class SegmentMapping {
  private final Arena arena;
  private int readers;
  private boolean retired;
  private boolean closed;

  SegmentMapping(Arena arena) {
    this.arena = arena;
  }

  /** Counts a scan in; false when the file is already unmapped. */
  synchronized boolean pin() {
    if (closed) {
      return false;
    }
    readers++;
    return true;
  }

  /** Counts a scan out, unmapping a retired file when it was the last. */
  synchronized void unpin() {
    readers--;
    closeIfUnused();
  }

  /** The query node no longer holds the segment: unmap now, or when its last scan finishes. */
  synchronized void retire() {
    retired = true;
    closeIfUnused();
  }

  private void closeIfUnused() {
    if (retired && readers == 0 && !closed) {
      closed = true;
      arena.close();
    }
  }
}
