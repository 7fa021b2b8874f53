/**
 * Filters evaluated by the engine: {@link RowPredicate} compiles an api filter ({@link
 * org.quiver.engine.api.Expr}, the immutable tree of columns, literals, comparisons and boolean
 * logic that the SQL layer pushes down with a search or a scan) against a collection's schema and
 * evaluates it row by row with SQL's three-valued logic, passing a row only when the expression is
 * TRUE. This package knows nothing of Calcite and depends only on storage.schema and engine.api.
 */
package org.quiver.engine.expr;
