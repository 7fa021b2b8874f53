/**
 * Parquet for COPY, kept out of the embeddable library: {@link ParquetFiles} implements
 * quiver-sql's {@code ParquetFormat} service with Arrow's dataset library (a JNI wrapper of Arrow
 * C++ that bundles its native library), reading a file as Arrow batches that become insert tasks
 * as Flight SQL ingest's do, and writing a query's rows as Arrow batches. An application that
 * wants COPY of Parquet adds quiver-parquet beside quiver-sql; without it such a COPY fails with
 * 0A000 naming the module. The server and the command line include it; quiver-sql must never
 * depend on it.
 */
package org.quiver.sql.parquet;
