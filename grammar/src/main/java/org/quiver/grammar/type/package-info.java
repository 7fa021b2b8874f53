/**
 * {@link VectorSqlType}: {@code VECTOR(n)} as a type of its own in Calcite's type system, with the
 * dimension as its precision, so that validation, comparison and casts of vectors are decided by
 * the type rather than by text. The parser's {@code VECTOR(n)} type spec derives it and the SQL
 * layer's type factory creates it; {@link BitSqlType}, {@code BIT(n)}, and {@link
 * SparsevecSqlType}, {@code SPARSEVEC(n)}, likewise. They live beside
 * the grammar because both the parse tree and the SQL layer need them, and the grammar must not
 * depend on the SQL layer.
 */
package org.quiver.grammar.type;
