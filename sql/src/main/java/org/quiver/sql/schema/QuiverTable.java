package org.quiver.sql.schema;

import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.linq4j.Queryable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.logical.LogicalTableModify;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.DataContext;
import org.apache.calcite.schema.ModifiableTable;
import org.apache.calcite.schema.TemporalTable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.rel.QuiverTableScan;
import org.quiver.storage.schema.FieldSchema;

/**
 * A Quiver collection as a Calcite table: scanned, searched and modified through Quiver's own
 * relational operators, which hand the work to the engine.
 */
public final class QuiverTable extends AbstractTable
    implements TranslatableTable, ModifiableTable, TemporalTable {
  private final Session session;
  private final CollectionInfo info;
  /** {@code FOR SYSTEM_TIME AS OF} this TIMESTAMP (a literal or a parameter); null: the present. */
  private final RexNode asOf;
  /**
   * Whether this is one version of the table, chosen for a time-travel read by its id (see
   * {@link QuiverSchema#versionName}); otherwise the engine reads the version of the name that
   * existed at the {@code AS OF} time.
   */
  private final boolean pinned;

  QuiverTable(Session session, CollectionInfo info) {
    this(session, info, null, false);
  }

  QuiverTable(Session session, CollectionInfo info, boolean pinned) {
    this(session, info, null, pinned);
  }

  private QuiverTable(Session session, CollectionInfo info, RexNode asOf, boolean pinned) {
    this.session = session;
    this.info = info;
    this.asOf = asOf;
    this.pinned = pinned;
  }

  /** This table as it was at {@code period}, a TIMESTAMP literal or parameter (time travel). */
  public QuiverTable asOf(RexNode period) {
    return new QuiverTable(session, info, period, pinned);
  }

  /** The time travel point, or null when the table is read at the present. */
  public RexNode asOf() {
    return asOf;
  }

  /**
   * How a read of this table runs: the session's consistency settings, and the {@code AS OF}
   * time bound from {@code context}'s parameters.
   */
  public ReadOptions readOptions(DataContext context) {
    ReadOptions options =
        session.readOptions(asOf == null ? -1 : AsOf.millis(asOf, context, name()));
    return pinned && asOf != null ? options.withTableVersion(info.id()) : options;
  }

  /** Every row version carries its insert timestamp; these names are not columns. */
  @Override
  public String getSysStartFieldName() {
    return "_insert_ts";
  }

  @Override
  public String getSysEndFieldName() {
    return "_delete_ts";
  }

  public Session session() {
    return session;
  }

  public CollectionInfo info() {
    return info;
  }

  public String name() {
    return info.name();
  }

  public FieldSchema field(int index) {
    return info.schema().fields().get(index);
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (FieldSchema f : info.schema().visibleFields()) {
      b.add(f.name(), SqlTypes.relType(typeFactory, f));
    }
    return b.build();
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    RelOptCluster cluster = context.getCluster();
    return new QuiverTableScan(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE),
        context.getTableHints(), relOptTable, this);
  }

  @Override
  public TableModify toModificationRel(RelOptCluster cluster, RelOptTable table,
      Prepare.CatalogReader catalogReader, RelNode child, TableModify.Operation operation,
      List<String> updateColumnList, List<RexNode> sourceExpressionList, boolean flattened) {
    if (operation != TableModify.Operation.INSERT && operation != TableModify.Operation.DELETE) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "%s is not supported yet on table \"%s\"; use DELETE and INSERT", operation, name());
    }
    return LogicalTableModify.create(table, catalogReader, child, operation, updateColumnList,
        sourceExpressionList, flattened);
  }

  /** Quiver writes through its own operator, never through a Java collection. */
  @Override
  public Collection<?> getModifiableCollection() {
    return null;
  }

  @Override
  public <T> Queryable<T> asQueryable(QueryProvider queryProvider, SchemaPlus schema,
      String tableName) {
    throw new IllegalStateException("table " + tableName + " is read through QuiverTableScan");
  }

  @Override
  public Type getElementType() {
    return Object[].class;
  }

  @Override
  public Expression getExpression(SchemaPlus schema, String tableName, Class clazz) {
    return Schemas.tableExpression(schema, getElementType(), tableName, clazz);
  }
}
