/**
 * {@link SqlErrors}, the one place where whatever went wrong under a statement becomes a
 * SQLException: an error of Quiver's catalogue keeps its SQLSTATE, and Calcite's parse and
 * validation errors are mapped onto the same catalogue, with a message that names the bad value
 * and, where there is one, its position. The embedded driver, the Avatica server, Flight SQL and
 * the command line all report errors through it, so a client sees the same SQLSTATE whichever door
 * it came through.
 */
package org.quiver.sql.error;
