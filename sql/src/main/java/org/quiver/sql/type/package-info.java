/**
 * {@code VECTOR(n)} inside Calcite, through its extension points only: {@link VectorTypeCoercion}
 * casts text to a vector where one is expected, {@link VectorValidator} and
 * {@link VectorOperators} give {@code +}, {@code -}, {@code *}, {@code ||}, SUM, AVG and the casts
 * between vectors and arrays their vector overloads, {@link VectorConvertlets} turns vector casts
 * and comparisons into calls, and {@link VectorCasts} holds the casts that generated code calls.
 * The type itself is {@code grammar.type.VectorSqlType}, its value {@code jdbc.VectorValue}; the
 * functions are in sql.function. {@code BIT(n)} ({@code grammar.type.BitSqlType}, its value
 * {@code jdbc.BitValue}) goes through the same coercion and convertlets, with {@link BitCasts} for
 * its casts and comparisons, and {@code SPARSEVEC(n)} likewise with {@link SparsevecCasts}.
 */
package org.quiver.sql.type;
