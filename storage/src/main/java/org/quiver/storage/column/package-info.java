/**
 * Typed columns: the values of one column of a batch held in primitive arrays with a bitmap of
 * NULL rows, one {@link org.quiver.storage.column.Column} implementation per storage layout of a
 * {@link org.quiver.storage.schema.DataType} (booleans, 8/16/32/64-bit integers, floats, doubles,
 * strings, float vectors, the last either on the heap or read in place from a mapped segment
 * (float16 vectors are floats in memory too, and float16 only in files), bit strings packed
 * into bytes, and sparse vectors as row offsets, indices and values). Each layout maps onto one Arrow vector type, so a batch of these columns converts
 * to and from an Arrow record batch by bulk copies; {@link org.quiver.storage.column.ColumnBuilder} is the one way
 * to build a column from boxed client values, checking each value's type and nullability, and
 * also selects and concatenates columns. Columns are immutable once built and safe to share
 * between threads. The package depends only on storage.schema and storage.vector.
 */
package org.quiver.storage.column;
