package org.quiver.storage.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A segment file is missing, has the wrong size or checksum, or cannot be parsed: its data must not
 * be used.
 */
public class CorruptSegmentException extends IOException {

  private final Path file;
  private final String reason;

  public CorruptSegmentException(Path file, String reason) {
    this(file, reason, null);
  }

  public CorruptSegmentException(Path file, String reason, Throwable cause) {
    super("corrupt segment file " + file + ": " + reason, cause);
    this.file = file;
    this.reason = reason;
  }

  /** What is wrong with the file, without its name. */
  public String reason() {
    return reason;
  }

  /** The file that failed. */
  public Path file() {
    return file;
  }
}
