/**
 * Filter expressions the engine evaluates itself: {@link Expr} is the immutable tree of columns,
 * literals, comparisons and boolean logic that the SQL layer pushes down with a search or a scan,
 * and {@link RowPredicate} compiles one against a collection's schema and evaluates it row by row
 * with SQL's three-valued logic, passing a row only when the expression is TRUE. The SQL planner
 * translates Calcite's expressions into these and keeps in Calcite whatever it cannot translate
 * exactly; this package knows nothing of Calcite and depends only on storage.schema and the error
 * catalogue.
 */
package org.quiver.engine.expr;
