package org.quiver.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Recognises a full disk among I/O failures, and measures the space left under a directory. */
public final class DiskSpace {
  /** What the operating system (ENOSPC) and RocksDB's space limit say when a write finds no room. */
  private static final String[] NO_SPACE_MESSAGES = {
      "No space left on device", "Max allowed space was reached"};

  private DiskSpace() {}

  /** True when {@code error} or one of its causes says the disk (or a space limit) is full. */
  public static boolean isFull(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RocksDBException r && r.getStatus() != null
          && r.getStatus().getSubCode() == Status.SubCode.NoSpace) {
        return true;
      }
      String message = t.getMessage();
      if (message != null) {
        for (String s : NO_SPACE_MESSAGES) {
          if (message.contains(s)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Bytes a writer may still use on the file system holding {@code dir} (or its nearest existing
   * ancestor).
   */
  public static long usableBytes(Path dir) throws IOException {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return Files.getFileStore(existing == null ? dir.toAbsolutePath().getRoot() : existing)
        .getUsableSpace();
  }
}
