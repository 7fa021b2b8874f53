package org.quiver.engine.api.request;

import java.util.List;

/** Releases the named partitions of a table (none named: the whole table) from memory. */
public record ReleaseRequest(String table, List<String> partitions) {
  public ReleaseRequest {
    partitions = List.copyOf(partitions);
  }
}
