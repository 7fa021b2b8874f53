package org.quiver.sql.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaVersion;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.CompatibilityLookup;
import org.apache.calcite.schema.lookup.Lookup;
import org.quiver.engine.api.catalog.CollectionInfo;

/**
 * The user's tables: one Calcite table per collection in the catalog, and one per alias (the
 * table it stands for), read afresh for every statement so that DDL is visible at once. Dropped
 * tables kept for time travel resolve by their version name but are never listed, so that
 * metadata calls ({@code getTables}, Flight SQL {@code GetTables}) show live tables only.
 */
public final class QuiverSchema extends AbstractSchema {
  /** The default schema name, as in PostgreSQL. */
  public static final String NAME = "public";

  private static final char VERSION_MARK = '@';

  private final Session session;
  /** Whether dropped versions are listed too: in the snapshot a statement is prepared against. */
  private final boolean withVersions;
  private final Lookup<Table> tables = new CompatibilityLookup<>(this::table,
      () -> getTableMap().keySet());

  public QuiverSchema(Session session) {
    this(session, false);
  }

  private QuiverSchema(Session session, boolean withVersions) {
    this.session = session;
    this.withVersions = withVersions;
  }

  /**
   * The schema a statement is prepared against: Calcite resolves its names through a snapshot
   * of every name, so the snapshot lists the versions too (a rewritten FOR SYSTEM_TIME AS OF
   * reference names one); metadata calls read this schema itself, which does not.
   */
  @Override
  public Schema snapshot(SchemaVersion version) {
    return new QuiverSchema(session, true);
  }

  public Session session() {
    return session;
  }

  @Override
  public Lookup<Table> tables() {
    return tables;
  }

  /** The live tables and aliases (and in a snapshot the dropped versions): what it lists. */
  @Override
  protected Map<String, Table> getTableMap() {
    Map<String, Table> tables = new LinkedHashMap<>();
    for (CollectionInfo info : session.engine().tables()) {
      tables.put(info.name(), new QuiverTable(session, info));
    }
    if (withVersions) {
      for (CollectionInfo info : session.engine().droppedTables()) {
        tables.putIfAbsent(versionName(info), new QuiverTable(session, info, true));
      }
    }
    session.engine().aliases().forEach((alias, table) -> {
      Table target = tables.get(table);
      if (target != null) {
        tables.putIfAbsent(alias, target);
      }
    });
    return tables;
  }

  /**
   * A live table or alias by name, else a dropped table kept for time travel by its version name
   * (FOR SYSTEM_TIME AS OF resolves a name to one: prepare.TimeTravelTables).
   */
  private Table table(String name) {
    Table live = getTableMap().get(name);
    if (live != null || name.indexOf(VERSION_MARK) < 0) {
      return live;
    }
    for (CollectionInfo info : session.engine().droppedTables()) {
      if (versionName(info).equals(name)) {
        return new QuiverTable(session, info, true);
      }
    }
    return null;
  }

  /** The name under which this schema finds {@code info}, a dropped table kept for time travel. */
  public static String versionName(CollectionInfo info) {
    return info.name() + VERSION_MARK + info.id();
  }

  @Override
  public boolean isMutable() {
    return true;
  }
}
