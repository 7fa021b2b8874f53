package org.quiver.sql.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.quiver.engine.rootcoord.CollectionInfo;

/**
 * The user's tables: one Calcite table per collection in the catalog, and one per alias (the
 * table it stands for), read afresh for every statement so that DDL is visible at once.
 */
public final class QuiverSchema extends AbstractSchema {
  /** The default schema name, as in PostgreSQL. */
  public static final String NAME = "public";

  private final Session session;

  public QuiverSchema(Session session) {
    this.session = session;
  }

  public Session session() {
    return session;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    Map<String, Table> tables = new LinkedHashMap<>();
    for (CollectionInfo info : session.proxy().collections()) {
      tables.put(info.name(), new QuiverTable(session, info));
    }
    // Dropped tables kept for time travel, as name@id (never hiding a live table so named);
    // FOR SYSTEM_TIME AS OF resolves a name to them (prepare.TimeTravelTables).
    for (CollectionInfo info : session.proxy().droppedTables()) {
      tables.putIfAbsent(versionName(info), new QuiverTable(session, info, true));
    }
    session.proxy().aliases().forEach((alias, table) -> {
      Table target = tables.get(table);
      if (target != null) {
        tables.putIfAbsent(alias, target);
      }
    });
    return tables;
  }

  /** The name under which this schema lists {@code info}, a dropped table kept for time travel. */
  public static String versionName(CollectionInfo info) {
    return info.name() + VERSION_MARK + info.id();
  }

  private static final char VERSION_MARK = '@';

  @Override
  public boolean isMutable() {
    return true;
  }
}
