package org.quiver.sql.copy;

import java.io.Closeable;
import java.io.IOException;

/** The rows of a file, as values for the table's columns in table order (null: not given). */
interface RowReader extends Closeable {
  /** The next row, or null at the end of the file. */
  Object[] next() throws IOException;

  /** Where the row last returned is: "line 12", "vector 7". */
  String where();

  /** Bytes of the file read so far, for progress. */
  long position();
}
