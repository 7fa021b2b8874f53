package org.quiver.engine.api.request;

import java.util.List;

/** Loads the named partitions of a table (none named: all of them) for reading. */
public record LoadRequest(String table, List<String> partitions) {
  public LoadRequest {
    partitions = List.copyOf(partitions);
  }
}
