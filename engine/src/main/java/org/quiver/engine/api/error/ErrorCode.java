package org.quiver.engine.api.error;

/**
 * The one catalogue of errors a user can cause, each with its SQLSTATE (PostgreSQL's codes) and a
 * stable Quiver code. Documented in docs/errors.md; tests check the code, not only the message.
 */
public enum ErrorCode {
  SYNTAX_ERROR("42601", 1001),
  UNDEFINED_TABLE("42P01", 1002),
  UNDEFINED_COLUMN("42703", 1003),
  DUPLICATE_TABLE("42P07", 1004),
  DUPLICATE_OBJECT("42710", 1005),
  UNDEFINED_OBJECT("42704", 1006),
  INVALID_TABLE_DEFINITION("42P16", 1007),
  DATATYPE_MISMATCH("42804", 1008),
  VALIDATION_ERROR("42000", 1009),
  UNDEFINED_FUNCTION("42883", 1010),
  INVALID_NAME("42602", 1011),
  WRONG_OBJECT_TYPE("42809", 1012),
  PARAMETER_NOT_BOUND("07001", 1013),
  CANNOT_COERCE("42846", 1014),
  DATA_EXCEPTION("22000", 2001),
  INVALID_PARAMETER_VALUE("22023", 2002),
  STRING_TOO_LONG("22001", 2005),
  NUMERIC_OUT_OF_RANGE("22003", 2006),
  INVALID_TEXT_REPRESENTATION("22P02", 2007),
  DATETIME_FIELD_OVERFLOW("22008", 2020),
  BAD_COPY_FILE_FORMAT("22P04", 2021),
  INVALID_DATETIME_FORMAT("22007", 2022),
  CHARACTER_NOT_IN_REPERTOIRE("22021", 2023),
  NULL_VALUE_NOT_ALLOWED("22004", 2024),
  STRING_DATA_LENGTH_MISMATCH("22026", 2025),
  NOT_NULL_VIOLATION("23502", 2003),
  UNIQUE_VIOLATION("23505", 2004),
  OBJECT_NOT_IN_PREREQUISITE_STATE("55000", 3001),
  QUERY_CANCELED("57014", 3002),
  ADMIN_SHUTDOWN("57P01", 3003),
  FEATURE_NOT_SUPPORTED("0A000", 4001),
  INVALID_AUTHORIZATION("28000", 5001),
  INSUFFICIENT_PRIVILEGE("42501", 5003),
  CONNECTION_FAILURE("08001", 5002),
  CONNECTION_LOST("08006", 5008),
  /** A message between processes that breaks the protocol (a proxy and a server of two builds). */
  PROTOCOL_VIOLATION("08P01", 5009),
  DISK_FULL("53100", 9003),
  TOO_MANY_CONNECTIONS("53300", 5004),
  PROGRAM_LIMIT_EXCEEDED("54000", 5005),
  STATEMENT_TOO_COMPLEX("54001", 5006),
  OUT_OF_MEMORY("53200", 5007),
  IO_ERROR("58030", 9001),
  UNDEFINED_FILE("58P01", 9004),
  DATA_CORRUPTED("XX001", 9002),
  INTERNAL_ERROR("XX000", 9999);

  private final String sqlState;
  private final int code;

  ErrorCode(String sqlState, int code) {
    this.sqlState = sqlState;
    this.code = code;
  }

  public String sqlState() {
    return sqlState;
  }

  /** Stable Quiver error number, reported as the vendor code of a SQLException. */
  public int code() {
    return code;
  }
}
