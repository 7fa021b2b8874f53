/**
 * Conversions between SQL rows and Apache Arrow, in one place for every door that speaks Arrow:
 * {@link ArrowTypes} decides how each SQL type appears in Arrow ({@code VECTOR(n)} as
 * {@code FixedSizeList<Float4>(n)}, as in segment files), {@link ResultSetBatches} and
 * {@link ResultSetArrowReader} turn a JDBC result into record batches of bounded size, and
 * {@link ArrowBatches} turns incoming batches into the engine's column batches with the checks
 * INSERT makes. Flight SQL (quiver-server) and Parquet COPY (quiver-parquet) use it; it sits in
 * the embeddable library because it needs arrow-vector only. Arrow memory belongs to the caller,
 * which allocates and closes it.
 */
package org.quiver.sql.arrow;
