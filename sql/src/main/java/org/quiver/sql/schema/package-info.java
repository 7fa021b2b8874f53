/**
 * How the engine's catalog appears to Calcite: {@link QuiverSchema} has one {@link QuiverTable} per
 * collection and alias, read afresh for every statement so that DDL is visible at once, and {@link
 * SystemSchema} the {@code sys} tables behind SHOW and DESCRIBE. {@link SqlTypes} is the one
 * mapping between storage types and SQL types, and between Calcite's row values and the engine's;
 * {@link ClientRows} the one way rows of client values (INSERT, JDBC batches, COPY) become the
 * engine's column batches. {@link Session} is one connection's state: its {@link SessionSetting}s
 * and the rows of a JDBC batch in progress; its methods are synchronized, as a connection may be
 * used by several threads.
 */
package org.quiver.sql.schema;
