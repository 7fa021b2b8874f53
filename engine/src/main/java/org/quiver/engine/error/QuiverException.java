package org.quiver.engine.error;

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
}
