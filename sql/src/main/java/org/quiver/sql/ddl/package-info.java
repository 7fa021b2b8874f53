/**
 * Quiver's DDL at the boundary: {@link QuiverDdlExecutor}, the DDL executor Calcite calls for each
 * of Quiver's statements, validates it, naming the bad value (index methods and their options
 * through {@link IndexOptions}, WITH options through one reader that fails with 22023), and turns
 * it into one request to the engine's proxy. No catalog change happens here: the engine's tasks
 * make it, on the definition queue, so DDL is ordered with everything else by its timestamp.
 */
package org.quiver.sql.ddl;
