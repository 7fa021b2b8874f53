package org.quiver.sql.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.grammar.QuiverNames;
import org.quiver.storage.schema.FieldSchema;

/**
 * The {@code sys} schema: the catalog as tables, which SHOW TABLES and DESCRIBE query.
 */
public final class SystemSchema extends AbstractSchema {
  private final Proxy proxy;

  public SystemSchema(Proxy proxy) {
    this.proxy = proxy;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return Map.of(
        QuiverNames.TABLES, new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, "loaded", "shards"),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.BOOLEAN, SqlTypeName.INTEGER),
            p -> {
              List<Object[]> rows = new ArrayList<>();
              for (CollectionInfo c : p.collections()) {
                rows.add(new Object[] {c.name(), p.isLoaded(c), c.channels().size()});
              }
              return rows;
            }),
        QuiverNames.COLUMNS, new CatalogTable(
            List.of(QuiverNames.TABLE_NAME, QuiverNames.COLUMN_NAME, QuiverNames.ORDINAL,
                QuiverNames.DATA_TYPE, QuiverNames.NULLABLE, QuiverNames.PRIMARY_KEY),
            List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.INTEGER,
                SqlTypeName.VARCHAR, SqlTypeName.BOOLEAN, SqlTypeName.BOOLEAN),
            p -> {
              List<Object[]> rows = new ArrayList<>();
              for (CollectionInfo c : p.collections()) {
                List<FieldSchema> fields = c.schema().fields();
                for (int i = 0; i < fields.size(); i++) {
                  FieldSchema f = fields.get(i);
                  rows.add(new Object[] {c.name(), f.name(), i + 1, SqlTypes.displayName(f),
                      f.nullable(), f.primaryKey()});
                }
              }
              return rows;
            }));
  }

  /** A read-only table computed from the catalog on every scan. */
  private final class CatalogTable extends AbstractTable implements ScannableTable {
    private final List<String> names;
    private final List<SqlTypeName> types;
    private final Function<Proxy, List<Object[]>> rows;

    CatalogTable(List<String> names, List<SqlTypeName> types, Function<Proxy, List<Object[]>> rows) {
      this.names = names;
      this.types = types;
      this.rows = rows;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      RelDataTypeFactory.Builder b = typeFactory.builder();
      for (int i = 0; i < names.size(); i++) {
        b.add(names.get(i), typeFactory.createSqlType(types.get(i)));
      }
      return b.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return Linq4j.asEnumerable(rows.apply(proxy));
    }
  }
}
