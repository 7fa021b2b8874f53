package org.quiver.storage.schema;

import java.util.Objects;

/**
 * One column of a collection.
 *
 * @param id stable field id, unique within the collection
 * @param name column name as the user wrote it (after SQL case folding)
 * @param type storage type
 * @param dimension vector dimension for {@link DataType#FLOAT_VECTOR}, the number of bits for
 *     {@link DataType#BINARY_VECTOR}, the dimension for {@link DataType#SPARSE_FLOAT_VECTOR},
 *     maximum length for
 *     {@link DataType#VARCHAR} (0: unbounded), otherwise 0
 * @param nullable whether the column accepts NULL; primary keys never do (nor vectors in
 *     catalogs written before NULL vectors, which stay NOT NULL)
 * @param primaryKey whether this is the primary key column
 * @param autoId whether the engine assigns this key's values to rows written without one
 *     (Milvus' auto_id, PostgreSQL's serial); false in catalogs written before the option
 * @param hidden whether this is the row id the engine adds to a table declared without a key:
 *     not a SQL column, so {@code SELECT *} and INSERT's column list leave it out
 */
public record FieldSchema(
    int id, String name, DataType type, int dimension, boolean nullable, boolean primaryKey,
    boolean autoId, boolean hidden) {

  public static final int MAX_DIMENSION = 32768;
  /** The most dimensions of a FLOAT16_VECTOR: pgvector's limit for halfvec. */
  public static final int MAX_HALF_DIMENSION = 16000;

  /** The most bits of a BINARY_VECTOR, as pgvector indexes bit strings. */
  public static final int MAX_BIT_LENGTH = 64000;

  /** The most dimensions of a SPARSE_FLOAT_VECTOR: pgvector's limit for sparsevec. */
  public static final int MAX_SPARSE_DIMENSION = 1_000_000_000;

  /** The name of the hidden row id; a user column may not take it. */
  public static final String ROW_ID = "_row_id";

  public FieldSchema {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if ((type.isVector() || type == DataType.BINARY_VECTOR
        || type == DataType.SPARSE_FLOAT_VECTOR)
        && (dimension < 1 || dimension > maxDimension(type))) {
      throw new IllegalArgumentException(type + " dimension must be in [1, "
          + maxDimension(type) + "], got " + dimension + " for column " + name);
    }
    if (primaryKey && type != DataType.INT64 && type != DataType.VARCHAR) {
      throw new IllegalArgumentException(
          "primary key must be BIGINT or VARCHAR, got " + type + " for column " + name);
    }
    if ((autoId || hidden) && !(primaryKey && type == DataType.INT64)) {
      throw new IllegalArgumentException("only a BIGINT primary key is assigned by the engine, "
          + "not column " + name);
    }
    if (hidden && !autoId) {
      throw new IllegalArgumentException("a hidden row id is always assigned: " + name);
    }
  }

  /** A column whose values the rows carry themselves. */
  public FieldSchema(
      int id, String name, DataType type, int dimension, boolean nullable, boolean primaryKey) {
    this(id, name, type, dimension, nullable, primaryKey, false, false);
  }

  /** The most dimensions a vector of {@code type} may have. */
  public static int maxDimension(DataType type) {
    return type == DataType.BINARY_VECTOR ? MAX_BIT_LENGTH
        : type == DataType.SPARSE_FLOAT_VECTOR ? MAX_SPARSE_DIMENSION
        : type == DataType.FLOAT16_VECTOR ? MAX_HALF_DIMENSION : MAX_DIMENSION;
  }

  /** The row id of a table declared without a primary key: a hidden, assigned BIGINT key. */
  public static FieldSchema rowId(int id) {
    return new FieldSchema(id, ROW_ID, DataType.INT64, 0, false, true, true, true);
  }

  public boolean isVector() {
    return type.isVector();
  }
}
