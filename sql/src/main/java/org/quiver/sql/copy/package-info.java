/**
 * Bulk loading and export: COPY, {@code quiver import} and the load half of Flight SQL ingest.
 * {@link CopyCommand} runs COPY for the DDL executor; {@link CopyIn} reads CSV, {@code .fvecs} and
 * {@code .npy} files into durable insert tasks, checked as INSERT checks rows, and {@link CopyOut}
 * writes a query's rows to a file that appears whole or not at all. {@link BulkLoad} makes a load
 * of many batches all or nothing, deleting the keys it wrote when it fails. Parquet needs Arrow's
 * native dataset library, so the {@link ParquetFormat} service comes from the separate
 * quiver-parquet module. Paths name files of the process that runs the engine (the server, for
 * remote connections).
 */
package org.quiver.sql.copy;
