package org.quiver.storage.index.ivf;

/** Trains IVF_PQ's product quantizer on the residuals and encodes them. */
final class ProductQuantizer {
  private static final int ENTRIES = IvfFormat.CODEBOOK_ENTRIES;

  private ProductQuantizer() {}

  /** The trained codebooks and, per point in the order given, its code of {@code pqM} bytes. */
  record Trained(PqCodebooks codebooks, byte[] codes) {}

  /**
   * Trains {@code pqM} codebooks of 256 entries by seeded {@link KMeans} on the residuals'
   * sub-vectors and encodes each residual by its nearest entry per sub-space.
   */
  static Trained train(float[] residuals, int dim, int count, int pqM, long seed) {
    int[] sub = IvfFormat.version1Splits(dim, pqM);
    float[] codebooks = new float[ENTRIES * dim];
    float[][] books = new float[pqM][];
    for (int j = 0; j < pqM; j++) {
      int len = sub[j + 1] - sub[j];
      float[] part = new float[count * len];
      for (int i = 0; i < count; i++) {
        System.arraycopy(residuals, i * dim + sub[j], part, i * len, len);
      }
      books[j] = KMeans.train(part, len, count, ENTRIES, seed + 1 + j);
      System.arraycopy(books[j], 0, codebooks, ENTRIES * sub[j], books[j].length);
    }
    byte[] codes = new byte[count * pqM];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < pqM; j++) {
        int len = sub[j + 1] - sub[j];
        float[] part = java.util.Arrays.copyOfRange(residuals, i * dim + sub[j],
            i * dim + sub[j + 1]);
        codes[i * pqM + j] = (byte) KMeans.nearest(part, books[j], ENTRIES, len);
      }
    }
    return new Trained(new PqCodebooks(sub, codebooks), codes);
  }
}
