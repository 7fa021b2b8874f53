/**
 * Vectors in memory and the arithmetic on them, the inner loop of every search:
 * {@link VectorKernels} runs the SIMD kernels on the JDK Vector API when
 * {@code jdk.incubator.vector} is in the boot layer and plain Java otherwise, over heap arrays or
 * memory-mapped {@link VectorColumn}s; {@link TopK} keeps the k nearest; {@link NullVectors} marks
 * a NULL vector as a row of NaN; {@link HalfFloats} converts float16 elements (of float16 columns
 * in files and the log) to and from floats. A VectorColumn is a view: whoever mapped the file owns
 * the memory, and reading after the mapping closed fails. TopK is not thread-safe (one per scanning
 * thread, then merge); the kernels are stateless. {@link LowRankMixture} generates embedding-like
 * data for tests and benchmarks. Depends on nothing in Quiver.
 */
package org.quiver.storage.vector;
