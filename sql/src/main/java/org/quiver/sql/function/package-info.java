/**
 * pgvector's vector functions and aggregates for the rows Calcite evaluates itself:
 * {@link VectorFunctions} (distances, norms, {@code l2_normalize} and the rest, over vector
 * values, text or a bound {@code float[]}), built on {@code VectorMath}'s arithmetic over arrays,
 * and {@link VectorAggregates} for SUM and AVG of vectors; {@link BitFunctions} for pgvector's
 * distances of bit strings and {@code bit_count}; {@link SparseFunctions} for its distances, norm
 * and normalization of sparse vectors. A search the engine answers computes
 * its distances in the engine's kernels instead; both follow pgvector's definitions, so they
 * agree. The operators that call these functions are declared in sql.type.
 */
package org.quiver.sql.function;
