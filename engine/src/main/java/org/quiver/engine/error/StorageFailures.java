package org.quiver.engine.error;

import java.nio.file.Path;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.DiskSpace;
import org.quiver.storage.StorageException;

/**
 * Turns a failure of the disk under the engine into a catalogued error: a full disk becomes 53100
 * naming the path that could not be written, any other storage failure 58030.
 */
public final class StorageFailures {
  private StorageFailures() {}

  /** The catalogued error for {@code error}; other errors are returned as they are. */
  public static Throwable translate(Throwable error) {
    if (error instanceof QuiverException q && q.code() != ErrorCode.IO_ERROR) {
      return q;
    }
    if (DiskSpace.isFull(error)) {
      return diskFull(pathOf(error), error);
    }
    if (error instanceof StorageException s) {
      return new QuiverException(ErrorCode.IO_ERROR, s.getMessage(), s);
    }
    return error;
  }

  /** 53100 for a write under {@code path} that found the disk full. */
  public static QuiverException diskFull(Object path, Throwable cause) {
    return new QuiverException(ErrorCode.DISK_FULL, "could not write to " + path
        + ": the disk is full (No space left on device); free space on it and retry", cause);
  }

  private static Object pathOf(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof StorageException s && s.path() != null) {
        return s.path();
      }
      if (t instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
        return Path.of(f.getFile());
      }
    }
    return "the data directory";
  }
}
