/**
 * Quiver's SQL dialect as an extension of Calcite's parser: the JavaCC parser is generated at
 * build time from Calcite's templates and this module's {@code codegen/} (config.fmpp and its
 * productions) into {@code org.quiver.grammar.parser}; this package holds what the productions
 * call and what the SQL layer shares with them: {@link ParserSettings}, the one place that
 * configures parsing and PostgreSQL's rules for the case of identifiers, {@link QuiverOperators}
 * for the distance operators and {@code ::}, {@link QuiverLiterals} for vector literals and
 * {@link QuiverNames} for the names of the {@code sys} schema. The grammar checks syntax only;
 * meaning and validation belong to the SQL layer. The module depends on calcite-core alone.
 */
package org.quiver.grammar;
