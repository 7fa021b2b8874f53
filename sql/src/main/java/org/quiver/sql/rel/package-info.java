/**
 * Quiver's relational operators and planner rules, where SQL turns into engine requests:
 * {@link QuiverTableScan}, {@link QuiverVectorSearch} and {@link QuiverTableModify} hand their
 * work to the engine, and the rules in {@link QuiverRules} (one per class, named after what it
 * matches and does) push filters, top-k by distance, key lookups and time travel into them;
 * {@link QuiverHints} registers the {@code search} and {@code partitions} hints, which travel on
 * the scans. At run time {@link SearchExecutor}, {@link ScanExecutor} and {@link ModifyExecutor}
 * bind parameters and call the proxy. Plan state lives on the rels themselves, and Calcite is
 * extended only at its extension points.
 */
package org.quiver.sql.rel;
