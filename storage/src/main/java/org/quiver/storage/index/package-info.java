/**
 * Vector indexes over the rows of one sealed segment, the storage half of Milvus's index node.
 * Each index method is an {@link IndexFormat}: its writer builds a segment's index into a folder
 * (its files, then a checksummed manifest written last), its reader verifies the folder and opens
 * it memory-mapped as a {@link VectorIndex}. HNSW is a jvector graph in jvector's file format
 * ({@link HnswIndex}), with optional jvector product-quantization codes beside it
 * ({@link Quantization}); IVF_FLAT, IVF_PQ and IVF_SQ8 are Quiver's own format (package
 * {@code ivf}). This package owns those files and the persisted numbers of methods and metrics. Row i of an index is
 * row i of its segment; searches are thread-safe, but closing an index must not overlap a search.
 * The engine decides when to build.
 */
package org.quiver.storage.index;
