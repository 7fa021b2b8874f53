package org.quiver.engine.api.error;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** An error with a catalogued code; the message names the bad value. */
public class QuiverException extends RuntimeException {
  private final ErrorCode code;

  public QuiverException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public QuiverException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static QuiverException of(ErrorCode code, String format, Object... args) {
    return new QuiverException(code, String.format(format, args));
  }

  /**
   * A failure to open, read or write {@code file}, classed as PostgreSQL classes a file access
   * error: a missing file or folder 58P01, no permission 42501, a folder where a file belongs (or
   * a file where a folder does) 42809, a name too long 22023, a file that ends early 22P04 (its
   * content is malformed), anything else 58030.
   *
   * @param action what was being done, e.g. {@code "open file %s for reading"}
   */
  public static QuiverException ofFile(String action, Path file, IOException e) {
    String what = String.format(action, "\"" + file + "\"");
    if (e instanceof NoSuchFileException) {
      boolean tilde = file.toString().contains("/~/") || file.toString().startsWith("~");
      return new QuiverException(ErrorCode.UNDEFINED_FILE, "could not " + what
          + ": no such file or directory" + (tilde ? " (~ is not expanded: give a full path)"
              : ""), e);
    }
    if (e instanceof AccessDeniedException) {
      return new QuiverException(ErrorCode.INSUFFICIENT_PRIVILEGE,
          "could not " + what + ": permission denied", e);
    }
    if (e instanceof FileAlreadyExistsException) {
      return new QuiverException(ErrorCode.WRONG_OBJECT_TYPE,
          "could not " + what + ": a file or folder of that name exists", e);
    }
    // Creating a file below a file fails with a plain FileSystemException that only says so.
    if (e instanceof NotDirectoryException
        || String.valueOf(e.getMessage()).endsWith("Not a directory")) {
      return new QuiverException(ErrorCode.WRONG_OBJECT_TYPE,
          "could not " + what + ": a part of the path is a file, not a folder", e);
    }
    if (String.valueOf(e.getMessage()).contains("File name too long")) {
      return new QuiverException(ErrorCode.INVALID_PARAMETER_VALUE,
          "could not " + what + ": the name is too long for the file system", e);
    }
    if (e instanceof DirectoryNotEmptyException
        || String.valueOf(e.getMessage()).contains("Is a directory")) {
      return new QuiverException(ErrorCode.WRONG_OBJECT_TYPE,
          "could not " + what + ": it is a folder, not a file", e);
    }
    if (e instanceof EOFException) {
      return new QuiverException(ErrorCode.BAD_COPY_FILE_FORMAT, "could not " + what + ": "
          + (e.getMessage() == null ? "the file ends early" : e.getMessage()), e);
    }
    return new QuiverException(ErrorCode.IO_ERROR, "could not " + what + ": " + e.getMessage(),
        e);
  }
}
