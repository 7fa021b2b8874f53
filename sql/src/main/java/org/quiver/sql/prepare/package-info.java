/**
 * Statement preparation, between parsing and planning: {@link QuiverPrepare} is Calcite's
 * preparation with Quiver's planner rules and vector type, and it checks each parse tree before
 * Calcite validates it: {@link StatementLimits} bounds a statement's length and nesting so that a
 * hostile statement cannot exhaust the stack or the heap, and the other checks validate hints,
 * keep {@code sys} read-only, resolve time travel to the version of a table that existed then and
 * keep the correlation of a per-row search. What they decide travels in the parse tree or the
 * planner's context, never in a ThreadLocal or a Calcite hook.
 */
package org.quiver.sql.prepare;
