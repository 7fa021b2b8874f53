package org.quiver.storage.schema;

import java.util.List;
import java.util.Optional;

/** The columns of a collection (a table), in declaration order, with exactly one primary key. */
public record CollectionSchema(List<FieldSchema> fields) {

  public CollectionSchema {
    fields = List.copyOf(fields);
    long keys = fields.stream().filter(FieldSchema::primaryKey).count();
    if (keys != 1) {
      throw new IllegalArgumentException("a collection needs exactly one primary key, got " + keys);
    }
    for (int i = 0; i < fields.size() - 1; i++) {
      if (fields.get(i).hidden()) {
        throw new IllegalArgumentException("the hidden row id must be the last field");
      }
    }
  }

  public FieldSchema primaryKey() {
    return fields.get(primaryKeyIndex());
  }

  /** A plain loop: every read of a table asks for it, and the constructor ensures there is one. */
  public int primaryKeyIndex() {
    int i = 0;
    while (!fields.get(i).primaryKey()) {
      i++;
    }
    return i;
  }

  /**
   * The columns SQL sees: all but a hidden row id, which is always the last field, so a
   * visible column's index is the same among these and among {@link #fields}.
   */
  public List<FieldSchema> visibleFields() {
    return hasHiddenKey() ? fields.subList(0, fields.size() - 1) : fields;
  }

  /** Whether the table was declared without a key and rows carry a hidden row id instead. */
  public boolean hasHiddenKey() {
    return !fields.isEmpty() && fields.getLast().hidden();
  }

  public Optional<FieldSchema> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  public int indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  public int size() {
    return fields.size();
  }
}
