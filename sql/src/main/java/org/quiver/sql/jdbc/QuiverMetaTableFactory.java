package org.quiver.sql.jdbc;

import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalciteMetaImpl.CalciteMetaTable;
import org.apache.calcite.jdbc.CalciteMetaTableFactory;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Table;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.quiver.grammar.QuiverNames;

/**
 * {@code DatabaseMetaData.getTables} rows: the catalog tables of schema {@code sys} are of type
 * {@code SYSTEM TABLE}, so that tools list them apart from the user's tables.
 */
public final class QuiverMetaTableFactory implements CalciteMetaTableFactory {
  public static final QuiverMetaTableFactory INSTANCE = new QuiverMetaTableFactory();

  static final String TABLE = Schema.TableType.TABLE.jdbcName;
  static final String SYSTEM_TABLE = Schema.TableType.SYSTEM_TABLE.jdbcName;

  private QuiverMetaTableFactory() {}

  @Override
  public CalciteMetaTable createTable(Table table, String tableCat, String tableSchem,
      String tableName) {
    Table described = QuiverNames.SYSTEM_SCHEMA.equals(tableSchem) ? new SystemTable(table) : table;
    return new CalciteMetaTable(described, tableCat, tableSchem, tableName);
  }

  @Override
  public Class<CalciteMetaTable> getMetaTableClass() {
    return CalciteMetaTable.class;
  }

  /** A table of {@code sys} as the metadata sees it: the same columns, typed SYSTEM TABLE. */
  private record SystemTable(Table table) implements Table {
    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      return table.getRowType(typeFactory);
    }

    @Override
    public Statistic getStatistic() {
      return table.getStatistic();
    }

    @Override
    public Schema.TableType getJdbcTableType() {
      return Schema.TableType.SYSTEM_TABLE;
    }

    @Override
    public boolean isRolledUp(String column) {
      return table.isRolledUp(column);
    }

    @Override
    public boolean rolledUpColumnValidInsideAgg(String column, SqlCall call, SqlNode parent,
        CalciteConnectionConfig config) {
      return table.rolledUpColumnValidInsideAgg(column, call, parent, config);
    }
  }
}
