/**
 * The engine's one public surface: {@link org.quiver.engine.api.Engine}, opened from a {@link
 * org.quiver.engine.api.QuiverConfig}, and the values its operations take and return. Everything
 * outside the engine (the SQL door, the servers, COPY, the command line) reaches the engine through
 * these packages alone, and they depend on nothing of the engine's internals, only on storage's
 * value types ({@code storage.schema}, the index declaration's {@code IndexMethod}, {@code
 * IndexMetric} and {@code IndexParams}); {@code ApiBoundaryTest} in the tests module enforces both
 * rules.
 *
 * <p>Every request and response is plain immutable data (records of values, lists, enums, column
 * batches and vectors), holding no reference to an engine object and no callback, so that a proxy
 * could send the same calls to a node in another process. Their wire form would be:
 *
 * <ul>
 *   <li>Row data as Arrow IPC: an {@code InsertRequest}'s or {@code UpsertRequest}'s {@code
 *       ColumnBatch} as one record batch of the table's schema (vectors as {@code
 *       FixedSizeList<Float4>}), a {@link org.quiver.engine.api.ResultRows} as a record batch of its
 *       fields plus a {@code Float8} distance column, a {@link org.quiver.engine.api.RowStream} as a
 *       stream of record batches, and the query vectors of a search as {@code FixedSizeList<Float4>}.
 *   <li>Everything else (the names, flags and numbers of a request, the catalog and status views,
 *       the read options) as a small schema of messages, one per record, its components the fields
 *       and its enums by name; the filter {@link org.quiver.engine.api.Expr} is a tree of tagged
 *       nodes whose literals carry their type.
 *   <li>Errors as {@link org.quiver.engine.api.error.QuiverException}'s error code and message,
 *       which the caller raises again with the same SQLSTATE.
 * </ul>
 */
package org.quiver.engine.api;
