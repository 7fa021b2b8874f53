/**
 * What an application sees of Quiver through JDBC: {@link QuiverDriver} answers
 * {@code jdbc:quiver:remote:} over Avatica and hands {@code jdbc:quiver:file:} and
 * {@code jdbc:quiver:mem:} to an embedded engine found through
 * {@link org.quiver.jdbc.spi.EmbeddedConnector}; {@link VectorValue} is a vector as a SQL value
 * and {@link VectorText} its pgvector text form, {@link BitValue} a bit string ({@code BIT(n)}), {@link SparseVectorValue} a sparse vector
 * ({@code SPARSEVEC(n)}).
 * This is the thin driver (quiver-jdbc): it depends on avatica-core alone and is compiled to Java
 * 17 bytecode so that older tools can load it, and the build forbids it any Quiver module,
 * Calcite or the server.
 */
package org.quiver.jdbc;
