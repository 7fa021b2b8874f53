package org.quiver.sql.jdbc;

import org.apache.calcite.avatica.MetaImpl.MetaColumn;
import org.apache.calcite.jdbc.CalciteMetaColumnFactoryImpl;
import org.apache.calcite.schema.Table;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * {@code DatabaseMetaData.getColumns} rows: TYPE_NAME is the bare type name (Calcite's would
 * carry {@code NOT NULL}), COLUMN_SIZE the declared length or the type's precision, and a vector
 * column reports type name {@code VECTOR} and its dimension (its JDBC type stays VARCHAR, the
 * text form).
 */
public final class QuiverMetaColumnFactory extends CalciteMetaColumnFactoryImpl {
  public static final QuiverMetaColumnFactory INSTANCE = new QuiverMetaColumnFactory();

  /** COLUMN_SIZE of a VARCHAR declared without a length, as PostgreSQL's driver reports it. */
  static final int UNBOUNDED_LENGTH = Integer.MAX_VALUE;

  private static final String NOT_NULL = " NOT NULL";

  private QuiverMetaColumnFactory() {}

  @Override
  public MetaColumn createColumn(Table table, String tableCat, String tableSchem,
      String tableName, String columnName, int dataType, String typeName, Integer columnSize,
      Integer decimalDigits, int numPrecRadix, int nullable, Integer charOctetLength,
      int ordinalPosition, String isNullable) {
    if (typeName.endsWith(NOT_NULL)) {
      typeName = typeName.substring(0, typeName.length() - NOT_NULL.length());
    }
    FieldSchema field = table instanceof QuiverTable quiver
        ? quiver.info().schema().field(columnName).orElse(null)
        : null;
    if (field != null) {
      typeName = bareName(SqlTypes.displayName(field));
      if (field.isVector() || field.type() == DataType.BINARY_VECTOR
          || field.type() == DataType.SPARSE_FLOAT_VECTOR) {
        // Calcite would say OTHER; clients read a vector or a bit string as its text.
        dataType = java.sql.Types.VARCHAR;
      }
      columnSize = columnSize(field);
      decimalDigits = switch (field.type()) {
        case BOOL, INT8, INT16, INT32, INT64 -> 0;
        case TIMESTAMP -> 3;
        default -> null;
      };
      charOctetLength = field.type() == DataType.VARCHAR ? columnSize : null;
    }
    return super.createColumn(table, tableCat, tableSchem, tableName, columnName, dataType,
        typeName, columnSize, decimalDigits, numPrecRadix, nullable, charOctetLength,
        ordinalPosition, isNullable);
  }

  private static String bareName(String displayName) {
    int paren = displayName.indexOf('(');
    return paren < 0 ? displayName : displayName.substring(0, paren);
  }

  /** The JDBC COLUMN_SIZE: precision for numbers, characters for text and timestamps. */
  static int columnSize(FieldSchema field) {
    return switch (field.type()) {
      case BOOL -> 1;
      case INT8 -> 3;
      case INT16 -> 5;
      case INT32 -> 10;
      case INT64 -> 19;
      case FLOAT -> 7;
      case DOUBLE -> 15;
      case VARCHAR -> field.dimension() > 0 ? field.dimension() : UNBOUNDED_LENGTH;
      case TIMESTAMP -> 23;
      case FLOAT_VECTOR, FLOAT16_VECTOR, BINARY_VECTOR, SPARSE_FLOAT_VECTOR -> field.dimension();
    };
  }
}
