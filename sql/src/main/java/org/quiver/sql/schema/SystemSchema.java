package org.quiver.sql.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.api.status.QueueStats;
import org.quiver.engine.api.status.TableChannelStats;
import org.quiver.engine.api.status.TaskView;
import org.quiver.storage.index.IndexMethod;
import org.quiver.grammar.QuiverNames;
import org.quiver.grammar.ast.SqlShowUsers;
import org.quiver.sql.auth.UserStore;
import org.quiver.storage.schema.FieldSchema;

/**
 * The {@code sys} schema: the catalog, the log's channels and the connection's settings as tables,
 * which SHOW and DESCRIBE query.
 */
public final class SystemSchema extends AbstractSchema {
  private final Session session;

  public SystemSchema(Session session) {
    this.session = session;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    Engine p = session.engine();
    return Map.ofEntries(
        Map.entry(QuiverNames.TABLES, new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, "loaded", "shards", QuiverNames.ROW_COUNT,
                "consistency_level", "load_state", "load_progress", "heap_bytes", "mapped_bytes"),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.BOOLEAN, SqlTypeName.INTEGER,
                SqlTypeName.BIGINT, SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.INTEGER,
                SqlTypeName.BIGINT, SqlTypeName.BIGINT),
            Set.of(QuiverNames.ROW_COUNT),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (CollectionInfo c : p.tables()) {
                LoadState load = p.loadState(c);
                // Exact: the visible rows of a loaded table now; NULL when it is not loaded.
                rows.add(new Object[] {c.name(), p.isLoaded(c), c.channels().size(),
                    p.isLoaded(c) ? p.rowCount(c.name()).orElse(null) : null,
                    c.consistencyLevel().sqlName(),
                    load.state(), load.progress(), load.heapBytes(), load.mappedBytes()});
              }
              return rows;
            })),
        Map.entry(QuiverNames.COLUMNS, new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, QuiverNames.COLUMN_NAME, QuiverNames.ORDINAL,
                QuiverNames.DATA_TYPE, QuiverNames.NULLABLE, QuiverNames.PRIMARY_KEY),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.INTEGER,
                SqlTypeName.VARCHAR, SqlTypeName.BOOLEAN, SqlTypeName.BOOLEAN),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (CollectionInfo c : p.tables()) {
                List<FieldSchema> fields = c.schema().visibleFields();
                for (int i = 0; i < fields.size(); i++) {
                  FieldSchema f = fields.get(i);
                  rows.add(new Object[] {c.name(), f.name(), i + 1, SqlTypes.displayName(f),
                      f.nullable(), f.primaryKey()});
                }
              }
              return rows;
            })),
        Map.entry(QuiverNames.PARTITIONS, new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, QuiverNames.PARTITION_NAME, "load_state",
                "heap_bytes", "mapped_bytes"),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.VARCHAR,
                SqlTypeName.BIGINT, SqlTypeName.BIGINT),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (CollectionInfo c : p.tables()) {
                for (String partition : p.partitions(c.name())) {
                  // The rows held for the partition; the table's delete records are not split.
                  LoadState load = p.loadState(c, partition);
                  rows.add(new Object[] {c.name(), partition, load.state(), load.heapBytes(),
                      load.mappedBytes()});
                }
              }
              return rows;
            })),
        Map.entry(QuiverNames.INDEXES, new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, QuiverNames.INDEX_NAME, QuiverNames.COLUMN_NAME,
                QuiverNames.METHOD, QuiverNames.OPTIONS, QuiverNames.INDEXED_ROWS,
                QuiverNames.TOTAL_ROWS, QuiverNames.HEAP_BYTES, QuiverNames.HEAP_BYTES_PER_VECTOR),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.VARCHAR,
                SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.BIGINT, SqlTypeName.BIGINT,
                SqlTypeName.BIGINT, SqlTypeName.DOUBLE),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (CollectionInfo c : p.tables()) {
                for (IndexInfo i : p.indexes(c.name())) {
                  IndexProgress progress = p.indexProgress(i);
                  String options = i.optionsText()
                      + (progress.error() == null ? "" : ", last build error: " + progress.error());
                  long heap = p.indexHeapBytes(i);
                  rows.add(new Object[] {c.name(), i.name(), i.field(), i.method().name(), options,
                      progress.builtRows(), progress.totalRows(), heap,
                      progress.builtRows() == 0 ? null : heap / (double) progress.builtRows()});
                }
              }
              return rows;
            })),
        Map.entry(QuiverNames.SEGMENTS, new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, QuiverNames.SEGMENT_ID, QuiverNames.PARTITION_NAME,
                QuiverNames.CHANNEL, QuiverNames.STATE, QuiverNames.ROW_COUNT,
                QuiverNames.DELETE_COUNT, "query_node"),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.BIGINT, SqlTypeName.VARCHAR,
                SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.BIGINT, SqlTypeName.BIGINT,
                SqlTypeName.VARCHAR),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (CollectionInfo c : p.tables()) {
                for (SegmentInfo s : p.segments(c.name())) {
                  // The query node of a cluster that holds the segment's rows; NULL in one process.
                  rows.add(new Object[] {c.name(), s.id(), s.partition(),
                      s.channel(), "flushed", (long) s.rowCount(), (long) s.deleteCount(),
                      p.queryNodeOf(s.id()).orElse(null)});
                }
              }
              return rows;
            })),
        Map.entry("damage", new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, QuiverNames.SEGMENT_ID, "file", "problem", "effect"),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.BIGINT, SqlTypeName.VARCHAR,
                SqlTypeName.VARCHAR, SqlTypeName.VARCHAR),
            () -> {
              Map<Long, String> names = new java.util.HashMap<>();
              p.tables().forEach(c -> names.put(c.id(), c.name()));
              List<Object[]> rows = new ArrayList<>();
              for (Damage d : p.damage()) {
                // Damage of a table dropped since is gone with it.
                if (names.containsKey(d.collectionId())) {
                  rows.add(new Object[] {names.get(d.collectionId()), d.segmentId(),
                      d.file().toString(), d.problem(), d.effect().description()});
                }
              }
              return rows;
            })),
        Map.entry(QuiverNames.CHANNELS, new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, QuiverNames.CHANNEL, QuiverNames.MESSAGES,
                QuiverNames.RETAINED_BYTES, QuiverNames.DISK_BYTES, QuiverNames.OLDEST_ID,
                QuiverNames.LAST_ID, QuiverNames.TRIMMED_THROUGH),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.BIGINT,
                SqlTypeName.BIGINT, SqlTypeName.BIGINT, SqlTypeName.BIGINT, SqlTypeName.BIGINT,
                SqlTypeName.BIGINT),
            Set.of(QuiverNames.TABLE_NAME),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (TableChannelStats s : p.channels()) {
                rows.add(new Object[] {s.table(), s.channel(), s.messageCount(),
                    s.retainedBytes(), s.diskBytes(), s.oldestRetainedId(), s.lastId(),
                    s.beginId() - 1});
              }
              return rows;
            })),
        Map.entry(QuiverNames.SETTINGS, new CatalogTable(
            List.of(QuiverNames.NAME, QuiverNames.SETTING),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              session.settings().forEach((s, v) -> rows.add(new Object[] {s.settingName(), v}));
              return rows;
            })),
        Map.entry("queues", new CatalogTable(
            List.of("queue", "unissued", "active", "done", "failed"),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.INTEGER, SqlTypeName.INTEGER,
                SqlTypeName.BIGINT, SqlTypeName.BIGINT),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (QueueStats q : p.queues()) {
                rows.add(new Object[] {q.queue(), q.unissued(), q.active(), q.done(), q.failed()});
              }
              return rows;
            })),
        Map.entry("tasks", new CatalogTable(
            List.of("queue", "state", "ts", "task"),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.BIGINT,
                SqlTypeName.VARCHAR),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (TaskView t : p.tasks()) {
                rows.add(new Object[] {t.queue(), t.state(), t.timestamp(), t.task()});
              }
              return rows;
            })),
        Map.entry(QuiverNames.ALIASES, new CatalogTable(
            List.of(QuiverNames.ALIAS_NAME, QuiverNames.TABLE_NAME),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              p.aliases().forEach((alias, table) -> rows.add(new Object[] {alias, table}));
              return rows;
            })),
        Map.entry(SqlShowUsers.TABLE, new CatalogTable(SqlShowUsers.COLUMNS,
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.VARCHAR),
            () -> UserStore.rows(session.dataDirectory()))));
  }

  /** A read-only table computed from the catalog (or the session) on every scan. */
  private static final class CatalogTable extends AbstractTable implements ScannableTable {
    private final List<String> names;
    private final List<SqlTypeName> types;
    private final Set<String> nullable;
    private final Supplier<List<Object[]>> rows;

    CatalogTable(List<String> names, List<SqlTypeName> types, Supplier<List<Object[]>> rows) {
      this(names, types, Set.of(), rows);
    }

    CatalogTable(List<String> names, List<SqlTypeName> types, Set<String> nullable,
        Supplier<List<Object[]>> rows) {
      this.names = names;
      this.types = types;
      this.nullable = nullable;
      this.rows = rows;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      RelDataTypeFactory.Builder b = typeFactory.builder();
      for (int i = 0; i < names.size(); i++) {
        RelDataType type = typeFactory.createSqlType(types.get(i));
        b.add(names.get(i), nullable.contains(names.get(i))
            ? typeFactory.createTypeWithNullability(type, true) : type);
      }
      return b.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return Linq4j.asEnumerable(rows.get());
    }
  }
}
