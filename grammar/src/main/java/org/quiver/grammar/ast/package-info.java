/**
 * The parse tree of Quiver's own statements: one {@code SqlNode} class per statement (CREATE
 * TABLE, CREATE INDEX, COPY, the SHOW family, LOAD and RELEASE, users and grants, ...), as the
 * parser builds it, each unparsing to the SQL it came from, which the grammar's parse-then-unparse
 * tests check. Nodes check syntax only: the SQL layer validates and executes them (DDL through its
 * DDL executor; SHOW and DESCRIBE turn into queries of the {@code sys} schema). A password never
 * unparses as written but as asterisks, so that no statement printed in a log or an error tells a
 * secret.
 */
package org.quiver.grammar.ast;
