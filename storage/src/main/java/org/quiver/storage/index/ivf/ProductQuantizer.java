package org.quiver.storage.index.ivf;

import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.quantization.PQVectors;
import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.vector.types.ByteSequence;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.quiver.storage.index.GraphVectors;

/**
 * Trains IVF_PQ's product quantizer on the residuals and encodes them, with jvector's
 * {@link ProductQuantization} (k-means per sub-space, run on jvector's pools) and its codebooks
 * copied into the layout {@link IvfFormat} stores. Chosen over Quiver's own k-means per
 * sub-space by measurement (docs/benchmarks.md): the same recall, a faster build.
 * jvector seeds its k-means from {@code ThreadLocalRandom}, so two builds of one segment give
 * different codes: their answers agree wherever the true neighbours rank within the re-ranking
 * depth by both codes, and may differ at the margin where one does not.
 */
final class ProductQuantizer {
  private static final int ENTRIES = IvfFormat.CODEBOOK_ENTRIES;

  private ProductQuantizer() {}

  /** The trained codebooks and, per point in the order given, its code of {@code pqM} bytes. */
  record Trained(PqCodebooks codebooks, byte[] codes) {}

  /**
   * Trains {@code pqM} codebooks on {@code count} residuals of {@code dim} floats (row after row)
   * and encodes each. jvector needs as many points as entries: fewer points train as many
   * entries as there are points, and the rest stay zero, named by no code.
   */
  static Trained train(float[] residuals, int dim, int count, int pqM) {
    if (count == 0) {
      return new Trained(new PqCodebooks(IvfFormat.version1Splits(dim, pqM),
          new float[ENTRIES * dim]), new byte[0]);
    }
    List<VectorFloat<?>> points = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      points.add(GraphVectors.TYPES.createFloatVector(
          Arrays.copyOfRange(residuals, i * dim, (i + 1) * dim)));
    }
    ListRandomAccessVectorValues values = new ListRandomAccessVectorValues(points, dim);
    // No global centring: each residual is already relative to its list's centroid.
    ProductQuantization pq = ProductQuantization.compute(values, pqM, Math.min(ENTRIES, count),
        false);
    int[] splits = new int[pqM + 1];
    float[] entries = new float[ENTRIES * dim];
    for (int j = 0; j < pqM; j++) {
      splits[j + 1] = splits[j] + pq.getSubvectorSize(j);
      VectorFloat<?> book = pq.getCodebookVector(j);
      for (int x = 0, at = ENTRIES * splits[j]; x < book.length(); x++) {
        entries[at + x] = book.get(x);
      }
    }
    PQVectors encoded = (PQVectors) pq.encodeAll(values);
    byte[] codes = new byte[count * pqM];
    for (int i = 0; i < count; i++) {
      ByteSequence<?> code = encoded.get(i);
      for (int j = 0; j < pqM; j++) {
        codes[i * pqM + j] = code.get(j);
      }
    }
    return new Trained(new PqCodebooks(splits, entries), codes);
  }
}
