package org.quiver.engine.api.status;

/**
 * Where a collection stands on the query node, with what it holds.
 *
 * @param state {@code not loaded}, {@code loading} or {@code loaded}
 * @param progress percent of the sealed segments read (100 once loaded, 0 when not loaded)
 * @param heapBytes estimated bytes on the heap: growing rows, scalar columns, insert timestamps,
 *     delete records
 * @param mappedBytes bytes of sealed segments' vector columns read in place from mapped files
 */
public record LoadState(String state, int progress, long heapBytes, long mappedBytes) {
  public static final LoadState NOT_LOADED = new LoadState("not loaded", 0, 0, 0);
}
