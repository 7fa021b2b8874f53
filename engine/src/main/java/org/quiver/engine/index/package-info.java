/**
 * Milvus's index node: {@link IndexNode} builds the declared vector indexes of sealed segments on
 * a bounded pool (cores - 1 threads, at least one), when an index is created, after every flush
 * and at start-up for whatever is missing, so that builds never hold up inserts or searches. A
 * built index is recorded in the catalog first and handed to the query node second; until then,
 * that segment is searched exactly. The index formats themselves live in storage.index, and which
 * indexes exist is the root coordinator's index catalog.
 */
package org.quiver.engine.index;
