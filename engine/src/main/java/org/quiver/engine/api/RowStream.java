package org.quiver.engine.api;

import java.util.Iterator;

/**
 * The rows of a scan, read as the caller takes them (one value per requested column, in the
 * request's order); closing it lets go of what the engine holds for it.
 */
public interface RowStream extends Iterator<Object[]>, AutoCloseable {
  @Override
  void close();
}
