package org.quiver.engine.rootcoord;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.storage.kv.KvStore;

/**
 * The plans of multi-step DDL in progress, in the catalog ({@code ddl-journal/<collection id>}),
 * so that a crash at any step leaves no half-created or half-dropped table.
 *
 * <p>A task writes its plan before its first step and removes it after its last. On start the
 * engine finishes or undoes each plan it finds ({@code engine.DdlRecovery}): a CREATE TABLE whose
 * catalog record was not written is undone (its channels destroyed); a DROP TABLE is always
 * finished (indexes removed, the table recorded as dropped and kept for time travel until the
 * purge removes its channels and files), since once its plan is written the table is as good as
 * gone. A replace (the swap of a filled staging table for the table it replaces) is finished for
 * the same reason: its staging table is complete before the plan is written.
 */
public final class DdlJournal {
  private static final String PREFIX = "ddl-journal/";
  /** Test hook: {@code kind:step} halts the process (as a SIGKILL would) before that step. */
  public static final String HALT_PROPERTY = "quiver.test.haltAtDdlStep";
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** What a plan does. */
  public enum Kind { CREATE_TABLE, DROP_TABLE, REPLACE_TABLE }

  /**
   * One plan: the statement, the collection it creates, drops or (for a replace) swaps in under
   * the name of {@code replaced}, and the task's timestamp (a DROP's or a replace's recovery
   * records the old table as dropped at it).
   *
   * @param replaced the table a replace retires; null for the other kinds
   */
  public record Plan(Kind kind, CollectionInfo collection, long ts, CollectionInfo replaced) {
    public Plan(Kind kind, CollectionInfo collection, long ts) {
      this(kind, collection, ts, null);
    }
  }

  private final KvStore kv;

  public DdlJournal(KvStore kv) {
    this.kv = kv;
  }

  /** Writes the plan durably; the first step of every multi-step DDL task. */
  public void begin(Plan plan) {
    try {
      kv.put(PREFIX + plan.collection().id(), JSON.writeValueAsBytes(plan));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the plan once every step is done (or undone). */
  public void end(Plan plan) {
    kv.delete(PREFIX + plan.collection().id());
  }

  /** The plans a crash interrupted. */
  public List<Plan> pending() {
    List<Plan> plans = new ArrayList<>();
    for (byte[] value : kv.scanPrefix(PREFIX).values()) {
      try {
        plans.add(JSON.readValue(value, Plan.class));
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable DDL journal record", e);
      }
    }
    return plans;
  }

  /**
   * Marks the start of step {@code step} (from 1) of a {@code kind} task ({@code create},
   * {@code drop} or {@code replace}); halts the JVM there when the test hook names it.
   */
  public static void step(String kind, int step) {
    String halt = System.getProperty(HALT_PROPERTY);
    if (halt != null && halt.equals(kind + ":" + step)) {
      Runtime.getRuntime().halt(137);
    }
  }
}
