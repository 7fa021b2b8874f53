package org.quiver.grammar;

/** Names shared by the grammar and the SQL layer: the system schema, its tables and columns, and the distance functions. */
public final class QuiverNames {

  /** Schema of the catalog tables that SHOW TABLES and DESCRIBE query. */
  public static final String SYSTEM_SCHEMA = "sys";

  /** {@code sys.tables}: one row per table. */
  public static final String TABLES = "tables";

  /** {@code sys.columns}: one row per column of every table. */
  public static final String COLUMNS = "columns";

  /** Column of {@code sys.tables} and {@code sys.columns}: the table's name. */
  public static final String TABLE_NAME = "table_name";

  /** Column of {@code sys.columns}: the column's name. */
  public static final String COLUMN_NAME = "column_name";

  /** Column of {@code sys.columns}: the column's type as written in CREATE TABLE, e.g. {@code VECTOR(128)}. */
  public static final String DATA_TYPE = "data_type";

  /** Column of {@code sys.columns}: whether the column accepts NULL. */
  public static final String NULLABLE = "nullable";

  /** Column of {@code sys.columns}: whether the column is the primary key. */
  public static final String PRIMARY_KEY = "primary_key";

  /**
   * Column of {@code sys.columns}: the column's position in its table. ORDINAL is a reserved
   * word of Calcite's parser, so a query that names this column must quote it.
   */
  public static final String ORDINAL = "ordinal";

  /** Function that {@code a <-> b} is rewritten to: Euclidean (L2) distance. */
  public static final String L2_DISTANCE_FUNCTION = "l2_distance";

  /** Function that {@code a <=> b} is rewritten to: cosine distance. */
  public static final String COSINE_DISTANCE_FUNCTION = "cosine_distance";

  /** Function that {@code a <#> b} is rewritten to: the negated inner product. */
  public static final String NEGATIVE_INNER_PRODUCT_FUNCTION = "negative_inner_product";

  private QuiverNames() {
  }
}
