package org.quiver.engine.api;

import java.util.Iterator;

/**
 * The rows of a scan, read a chunk at a time as the caller takes them: each chunk a {@link
 * ResultRows} of the request's columns, in its order (an Arrow record batch on a wire); closing
 * the stream lets go of what the engine holds for it.
 */
public interface RowStream extends Iterator<ResultRows>, AutoCloseable {
  @Override
  void close();
}
