/**
 * The embedded JDBC door: {@link EmbeddedDriver} is Calcite's driver set up with Quiver's parser,
 * DDL executor, planner rules and type factory, giving each connection the {@code public} schema
 * over an engine and the {@code sys} schema; {@link QuiverEmbeddedConnector} is what the thin
 * driver loads for {@code jdbc:quiver:file:} and {@code jdbc:quiver:mem:}, and
 * {@link EngineRegistry} shares one engine among the connections to one location and closes it
 * with the last. Prepared statements are executed here so that bound values are checked against
 * their parameters' types, and a JDBC batch of INSERT VALUES becomes one insert task. The server
 * and Flight SQL run their statements on these connections.
 */
package org.quiver.sql.jdbc;
