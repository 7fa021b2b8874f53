package org.quiver.engine.api.status;

import java.util.List;
import java.util.Map;

/**
 * What a check of a data directory found ({@code quiver check}).
 *
 * @param tables the tables' names by id
 * @param segments how many segments were verified
 * @param indexFiles how many built index folders were verified
 * @param damage every damaged or missing file, in table and segment order
 */
public record CheckReport(Map<Long, String> tables, int segments, int indexFiles,
    List<Damage> damage) {
  public boolean intact() {
    return damage.isEmpty();
  }
}
