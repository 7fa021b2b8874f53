package org.quiver.sql.jdbc;

import org.apache.calcite.avatica.MetaImpl.MetaColumn;
import org.apache.calcite.jdbc.CalciteMetaColumnFactoryImpl;
import org.apache.calcite.schema.Table;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.schema.FieldSchema;

/**
 * {@code DatabaseMetaData.getColumns} rows for Quiver tables: a vector column reports type name
 * {@code VECTOR} and its dimension as COLUMN_SIZE (its JDBC type stays VARCHAR, the text form).
 */
public final class QuiverMetaColumnFactory extends CalciteMetaColumnFactoryImpl {
  public static final QuiverMetaColumnFactory INSTANCE = new QuiverMetaColumnFactory();

  private QuiverMetaColumnFactory() {}

  @Override
  public MetaColumn createColumn(Table table, String tableCat, String tableSchem,
      String tableName, String columnName, int dataType, String typeName, Integer columnSize,
      Integer decimalDigits, int numPrecRadix, int nullable, Integer charOctetLength,
      int ordinalPosition, String isNullable) {
    if (table instanceof QuiverTable quiver) {
      FieldSchema field = quiver.info().schema().field(columnName).orElse(null);
      if (field != null && field.isVector()) {
        typeName = SqlTypes.VECTOR_TYPE_NAME;
        columnSize = field.dimension();
      }
    }
    return super.createColumn(table, tableCat, tableSchem, tableName, columnName, dataType,
        typeName, columnSize, decimalDigits, numPrecRadix, nullable, charOctetLength,
        ordinalPosition, isNullable);
  }
}
