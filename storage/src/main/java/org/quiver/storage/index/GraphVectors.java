package org.quiver.storage.index;

import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import org.quiver.storage.vector.VectorKernels;

/**
 * jvector's vectors, on the JDK Vector API whenever the JVM has it. jvector prefers its native
 * library when it loads, which computes each distance through a foreign-function call; for one
 * query against one candidate of a few hundred dimensions that call costs more than the
 * arithmetic, and on siftsmall a graph search ran about 1.6x faster on the Vector API, index
 * builds 1.4x (docs/benchmarks.md). An application that chose a provider itself (the system
 * property {@value #PROVIDER}) keeps its choice.
 *
 * <p>jvector picks its provider once per JVM, when it is first asked, so every use of jvector in
 * Quiver takes its vectors from here, and this class makes the choice before anything else asks.
 */
public final class GraphVectors {
  /** jvector's system property naming its provider: {@code panama} or {@code native}. */
  public static final String PROVIDER = "jvector.vectorization_provider";

  /** jvector's factory of vectors, through the provider chosen here. */
  public static final VectorTypeSupport TYPES = choose();

  private GraphVectors() {}

  private static VectorTypeSupport choose() {
    if (System.getProperty(PROVIDER) == null && VectorKernels.usesSimd()) {
      System.setProperty(PROVIDER, "panama");
    }
    return VectorizationProvider.getInstance().getVectorTypeSupport();
  }

  /** The provider jvector runs on, by its class's simple name, for logs and tests. */
  public static String provider() {
    return VectorizationProvider.getInstance().getClass().getSimpleName();
  }
}
