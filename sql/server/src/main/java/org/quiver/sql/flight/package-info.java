/**
 * The Arrow Flight SQL door of {@code quiver serve}: {@link FlightSqlServer} runs a gRPC server on
 * its own port with the same bind address, users and TLS certificate as the Avatica server.
 * Statements run on pooled embedded connections, one borrowed per statement so that concurrent
 * calls never share a Calcite connection, and results stream back as Arrow batches built only when
 * the client has room for them. Bulk ingest skips SQL: Arrow batches go to the engine through
 * sql.copy's all-or-nothing load. Errors become Flight statuses that carry the SQLSTATE. Part of
 * quiver-server.
 */
package org.quiver.sql.flight;
