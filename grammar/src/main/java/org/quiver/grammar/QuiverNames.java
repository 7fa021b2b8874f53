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

  /** {@code sys.partitions}: one row per partition of every table. */
  public static final String PARTITIONS = "partitions";

  /** {@code sys.indexes}: one row per vector index of every table. */
  public static final String INDEXES = "indexes";

  /** {@code sys.segments}: one row per flushed segment of every table. */
  public static final String SEGMENTS = "segments";

  /** {@code sys.channels}: one row per channel of the log, with the table that writes to it. */
  public static final String CHANNELS = "channels";

  /** Column of {@code sys.channels} and {@code sys.segments}: the channel's name. */
  public static final String CHANNEL = "channel";

  /** Column of {@code sys.channels}: messages the log retains on the channel. */
  public static final String MESSAGES = "messages";

  /** Column of {@code sys.channels}: bytes of the retained messages (keys and payloads). */
  public static final String RETAINED_BYTES = "retained_bytes";

  /** Column of {@code sys.channels}: the storage engine's estimate of the channel's size on disk. */
  public static final String DISK_BYTES = "disk_bytes";

  /** Column of {@code sys.channels}: id of the oldest retained message, -1 if none is retained. */
  public static final String OLDEST_ID = "oldest_id";

  /** Column of {@code sys.channels}: id of the last message produced, -1 if none was. */
  public static final String LAST_ID = "last_id";

  /**
   * Column of {@code sys.channels}: id up to which retention deleted the log (every consumer had
   * checkpointed past it and the retention window had passed it), -1 while nothing was deleted.
   */
  public static final String TRIMMED_THROUGH = "trimmed_through";

  /** {@code sys.settings}: one row per session setting of the connection. */
  public static final String SETTINGS = "settings";

  /** {@code sys.aliases}: one row per alias. */
  public static final String ALIASES = "aliases";

  /** Column of {@code sys.partitions} and {@code sys.segments}: the partition's name. */
  public static final String PARTITION_NAME = "partition_name";

  /** Column of {@code sys.indexes}: the index's name. */
  public static final String INDEX_NAME = "index_name";

  /** Column of {@code sys.indexes}: the index method, e.g. {@code HNSW}. */
  public static final String METHOD = "method";

  /** Column of {@code sys.indexes}: the WITH options of CREATE INDEX, as text. */
  public static final String OPTIONS = "options";

  /** Column of {@code sys.indexes}: rows already in the index (build progress). */
  public static final String INDEXED_ROWS = "indexed_rows";

  /** Column of {@code sys.indexes}: rows of the table that the index will cover. */
  public static final String TOTAL_ROWS = "total_rows";

  /**
   * Column of {@code sys.indexes}: the heap the index holds over the loaded segments, in bytes
   * (codes and codebooks; graphs are mapped and vectors read where they lie).
   */
  public static final String HEAP_BYTES = "heap_bytes";

  /** Column of {@code sys.indexes}: {@link #HEAP_BYTES} per indexed row; NULL before any is. */
  public static final String HEAP_BYTES_PER_VECTOR = "heap_bytes_per_vector";

  /** Column of {@code sys.segments}: the segment's id. */
  public static final String SEGMENT_ID = "segment_id";

  /** Column of {@code sys.segments}: the segment's state, e.g. {@code flushed}. */
  public static final String STATE = "state";

  /** Column of {@code sys.segments}: rows in the segment's data file. */
  public static final String ROW_COUNT = "row_count";

  /** Column of {@code sys.segments}: delete records in the segment's delete log. */
  public static final String DELETE_COUNT = "delete_count";

  /** Column of {@code sys.aliases}: the alias. */
  public static final String ALIAS_NAME = "alias_name";

  /** Column of {@code sys.settings}: the setting's name. */
  public static final String NAME = "name";

  /**
   * Column of {@code sys.settings}: the setting's current value, as text (named as in
   * PostgreSQL's {@code pg_settings}; VALUE is a reserved word).
   */
  public static final String SETTING = "setting";

  /** Function that {@code a <-> b} is rewritten to: Euclidean (L2) distance. */
  public static final String L2_DISTANCE_FUNCTION = "l2_distance";

  /** Function that {@code a <=> b} is rewritten to: cosine distance. */
  public static final String COSINE_DISTANCE_FUNCTION = "cosine_distance";

  /** Function that {@code a <#> b} is rewritten to: the negated inner product. */
  public static final String NEGATIVE_INNER_PRODUCT_FUNCTION = "negative_inner_product";

  /** Function that {@code a <+> b} is rewritten to: taxicab (L1) distance. */
  public static final String L1_DISTANCE_FUNCTION = "l1_distance";

  /** Function that {@code a <~> b} is rewritten to: Hamming distance of bit strings. */
  public static final String HAMMING_DISTANCE_FUNCTION = "hamming_distance";

  /** Function that {@code a <%> b} is rewritten to: Jaccard distance of bit strings. */
  public static final String JACCARD_DISTANCE_FUNCTION = "jaccard_distance";

  private QuiverNames() {
  }
}
