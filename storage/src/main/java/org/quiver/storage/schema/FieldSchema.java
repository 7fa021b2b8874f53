package org.quiver.storage.schema;

import java.util.Objects;

/**
 * One column of a collection.
 *
 * @param id stable field id, unique within the collection
 * @param name column name as the user wrote it (after SQL case folding)
 * @param type storage type
 * @param dimension vector dimension for {@link DataType#FLOAT_VECTOR}, maximum length for
 *     {@link DataType#VARCHAR} (0: unbounded), otherwise 0
 * @param nullable whether the column accepts NULL; primary keys and vectors never do
 * @param primaryKey whether this is the primary key column
 */
public record FieldSchema(
    int id, String name, DataType type, int dimension, boolean nullable, boolean primaryKey) {

  public static final int MAX_DIMENSION = 32768;

  public FieldSchema {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (type.isVector() && (dimension < 1 || dimension > MAX_DIMENSION)) {
      throw new IllegalArgumentException(
          "vector dimension must be in [1, " + MAX_DIMENSION + "], got " + dimension);
    }
    if (primaryKey && type != DataType.INT64 && type != DataType.VARCHAR) {
      throw new IllegalArgumentException(
          "primary key must be BIGINT or VARCHAR, got " + type + " for column " + name);
    }
  }

  public boolean isVector() {
    return type.isVector();
  }
}
