package org.quiver.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;

/**
 * The DatabaseMetaData that neither Calcite nor Avatica's wire protocol supplies, answered by SQL
 * over Quiver's {@code sys} catalog tables (as PostgreSQL's driver queries {@code pg_catalog}):
 * primary keys, the vector indexes, Quiver's types (VECTOR, BIT and SPARSEVEC
 * among them) and its table
 * types. The embedded metadata runs these queries in the engine, Quiver's remote driver over the
 * wire.
 */
public final class CatalogQueries {
  private static final String PUBLIC = "public";
  /** The largest dimension of a VECTOR column. */
  private static final int MAX_DIMENSION = 32768;
  /** The largest dimension of a HALFVEC column, as pgvector's halfvec. */
  private static final int MAX_HALF_DIMENSION = 16000;
  private static final String SCHEMA = literal(PUBLIC);

  private CatalogQueries() {}

  /** A row of {@link #getTypeInfo}. */
  private record TypeInfo(String name, int jdbcType, int precision, String prefix,
      String suffix, String createParams, boolean caseSensitive, Integer radix) {}

  private static final List<TypeInfo> TYPES = List.of(
      new TypeInfo("TINYINT", Types.TINYINT, 3, null, null, null, false, 10),
      new TypeInfo("BIGINT", Types.BIGINT, 19, null, null, null, false, 10),
      new TypeInfo("VARCHAR", Types.VARCHAR, Integer.MAX_VALUE, "'", "'",
          "length", true, null),
      new TypeInfo("VECTOR", Types.VARCHAR, MAX_DIMENSION, "'[", "]'", "dimension",
          false, null),
      new TypeInfo("HALFVEC", Types.VARCHAR, MAX_HALF_DIMENSION, "'[", "]'", "dimension",
          false, null),
      new TypeInfo("BIT", Types.VARCHAR, BitValue.MAX_LENGTH, "B'", "'", "length", false, null),
      new TypeInfo("SPARSEVEC", Types.VARCHAR, SparseVectorValue.MAX_DIMENSION, "'", "'",
          "dimension", false, null),
      new TypeInfo("INTEGER", Types.INTEGER, 10, null, null, null, false, 10),
      new TypeInfo("SMALLINT", Types.SMALLINT, 5, null, null, null, false, 10),
      new TypeInfo("REAL", Types.REAL, 7, null, null, null, false, 10),
      new TypeInfo("DOUBLE", Types.DOUBLE, 15, null, null, null, false, 10),
      new TypeInfo("TIMESTAMP", Types.TIMESTAMP, 23, "TIMESTAMP '", "'", null, false, null),
      new TypeInfo("BOOLEAN", Types.BOOLEAN, 1, null, null, null, false, null));

  /** The primary key column of each table of {@code public} (of {@code table} when given). */
  public static ResultSet getPrimaryKeys(Connection connection, String catalog, String schema,
      String table) throws SQLException {
    return query(connection, "SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\", " + SCHEMA
        + " AS \"TABLE_SCHEM\", table_name AS \"TABLE_NAME\", column_name AS \"COLUMN_NAME\", "
        + "CAST(1 AS SMALLINT) AS \"KEY_SEQ\", table_name || '_pkey' AS \"PK_NAME\" "
        + "FROM sys.columns WHERE primary_key AND " + tableCondition(catalog, schema, table)
        + " ORDER BY table_name", table);
  }

  /** The vector indexes; none is unique, and the primary key's index is internal. */
  public static ResultSet getIndexInfo(Connection connection, String catalog, String schema,
      String table, boolean unique, boolean approximate) throws SQLException {
    return query(connection, "SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\", " + SCHEMA
        + " AS \"TABLE_SCHEM\", table_name AS \"TABLE_NAME\", TRUE AS \"NON_UNIQUE\", "
        + "CAST(NULL AS VARCHAR) AS \"INDEX_QUALIFIER\", index_name AS \"INDEX_NAME\", "
        + "CAST(" + DatabaseMetaData.tableIndexOther + " AS SMALLINT) AS \"TYPE\", "
        + "CAST(1 AS SMALLINT) AS \"ORDINAL_POSITION\", column_name AS \"COLUMN_NAME\", "
        + "CAST(NULL AS VARCHAR) AS \"ASC_OR_DESC\", total_rows AS \"CARDINALITY\", "
        + "CAST(0 AS BIGINT) AS \"PAGES\", CAST(NULL AS VARCHAR) AS \"FILTER_CONDITION\" "
        + "FROM sys.indexes WHERE " + (unique ? "FALSE" : tableCondition(catalog, schema, table))
        + " ORDER BY index_name", unique ? null : table);
  }

  /** Quiver's column types, VECTOR among them, by DATA_TYPE as JDBC orders them. */
  public static ResultSet getTypeInfo(Connection connection) throws SQLException {
    String rows = TYPES.stream()
        .map(t -> "(" + String.join(", ", literal(t.name()),
            "CAST(" + t.jdbcType() + " AS INTEGER)",
            "CAST(" + t.precision() + " AS INTEGER)", literal(t.prefix()), literal(t.suffix()),
            literal(t.createParams()), "CAST(" + DatabaseMetaData.typeNullable + " AS SMALLINT)",
            Boolean.toString(t.caseSensitive()),
            "CAST(" + DatabaseMetaData.typeSearchable + " AS SMALLINT)", "FALSE", "FALSE",
            "FALSE", literal(t.name()), "CAST(0 AS SMALLINT)",
            "CAST(" + (t.jdbcType() == Types.TIMESTAMP ? 3 : 0) + " AS SMALLINT)",
            "CAST(NULL AS INTEGER)", "CAST(NULL AS INTEGER)",
            "CAST(" + t.radix() + " AS INTEGER)") + ")")
        .collect(Collectors.joining(", "));
    return query(connection, "SELECT * FROM (VALUES " + rows + ") AS t(\"TYPE_NAME\", "
        + "\"DATA_TYPE\", \"PRECISION\", \"LITERAL_PREFIX\", \"LITERAL_SUFFIX\", "
        + "\"CREATE_PARAMS\", \"NULLABLE\", "
        + "\"CASE_SENSITIVE\", \"SEARCHABLE\", \"UNSIGNED_ATTRIBUTE\", \"FIXED_PREC_SCALE\", "
        + "\"AUTO_INCREMENT\", \"LOCAL_TYPE_NAME\", \"MINIMUM_SCALE\", \"MAXIMUM_SCALE\", "
        + "\"SQL_DATA_TYPE\", \"SQL_DATETIME_SUB\", \"NUM_PREC_RADIX\") "
        + "ORDER BY \"DATA_TYPE\", \"TYPE_NAME\" <> 'VARCHAR'", null);
  }

  /** The table types that {@code getTables} reports. */
  public static ResultSet getTableTypes(Connection connection) throws SQLException {
    return query(connection, "SELECT * FROM (VALUES (" + literal("SYSTEM TABLE")
        + "), (" + literal("TABLE") + ")) AS t(\"TABLE_TYPE\")", null);
  }

  /**
   * The condition on {@code table_name} for a table of schema {@code public}; the table's name
   * itself is the query's one parameter when given.
   */
  private static String tableCondition(String catalog, String schema, String table) {
    boolean ours = (catalog == null || catalog.isEmpty())
        && (schema == null || schema.equals(PUBLIC));
    if (!ours) {
      return "FALSE";
    }
    return table == null ? "TRUE" : "table_name = ?";
  }

  private static ResultSet query(Connection connection, String sql, String table)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      if (statement.getParameterMetaData().getParameterCount() == 1) {
        statement.setString(1, table);
      }
      ResultSet rs = statement.executeQuery();
      statement.closeOnCompletion();
      return rs;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  /** A VARCHAR literal, or a typed NULL. */
  private static String literal(String value) {
    return value == null ? "CAST(NULL AS VARCHAR)"
        : "CAST('" + value.replace("'", "''") + "' AS VARCHAR)";
  }
}
