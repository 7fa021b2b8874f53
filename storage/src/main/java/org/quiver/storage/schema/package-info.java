/**
 * The data model every layer from the engine down shares: a collection's {@link CollectionSchema}
 * of {@link FieldSchema} columns with exactly one primary key, the {@link DataType}s Quiver stores,
 * and {@link ColumnBatch}, rows held column by column (the typed columns of storage.column), the
 * unit that log messages and segment files carry. The DataType numbers follow Milvus's and are
 * persisted in the catalog, the log and segment files, so they are never renumbered. The SQL layer
 * maps its own types onto them in one place ({@code sql.schema.SqlTypes}). The package depends on
 * storage.vector and on storage.column, whose columns are typed by this package's DataType and
 * FieldSchema.
 */
package org.quiver.storage.schema;
