/**
 * The Arrow Flight SQL door of {@code quiver serve}: {@link FlightSqlServer} runs a gRPC server on
 * its own port with the same bind address, users and TLS certificate as the Avatica server, and
 * registers {@link QuiverFlightSqlProducer}, which names each call's caller and hands the call to
 * the part that does it: {@link StatementExecutor} for statements sent as text,
 * {@link PreparedStatements} for prepared ones, {@link PendingResults} for results waiting under
 * their tickets, {@link BulkIngest} for ingest and {@link CatalogMetadata} for the catalog
 * commands. Statements run on pooled embedded connections, one borrowed per statement so that
 * concurrent calls never share a Calcite connection, and results stream back as Arrow batches
 * built only when the client has room for them. Bulk ingest skips SQL: Arrow batches go to the
 * engine through sql.copy's all-or-nothing load. Errors become Flight statuses that carry the
 * SQLSTATE. Part of quiver-server.
 */
package org.quiver.sql.flight;
