package org.quiver.storage.index.ivf;

/**
 * The codebooks of a product quantizer as IVF_PQ stores and scores them: sub-quantizer {@code j}
 * covers dimensions {@code [splits[j], splits[j + 1])} and has {@value IvfFormat#CODEBOOK_ENTRIES}
 * entries of that width, entry {@code e} at {@code 256 * splits[j] + e * width} of
 * {@code entries} (entries no code names, when fewer were trained, are zero).
 */
record PqCodebooks(int[] splits, float[] entries) {
  private static final int ENTRIES = IvfFormat.CODEBOOK_ENTRIES;

  int subQuantizers() {
    return splits.length - 1;
  }

  /**
   * Fills {@code table[j * 256 + e]} with the inner product of sub-vector {@code j} of {@code q}
   * with entry {@code e}: a code's inner product with {@code q} is then a sum of table lookups.
   */
  void innerProducts(float[] q, float[] table) {
    for (int j = 0; j < subQuantizers(); j++) {
      int from = splits[j];
      int len = splits[j + 1] - from;
      int book = ENTRIES * from;
      for (int e = 0; e < ENTRIES; e++) {
        float s = 0;
        int at = book + e * len;
        for (int x = 0; x < len; x++) {
          s += q[from + x] * entries[at + x];
        }
        table[j * ENTRIES + e] = s;
      }
    }
  }

  /** Adds the decoded code at {@code codes[at..]} to {@code x}. */
  void addDecoded(byte[] codes, int at, float[] x) {
    for (int j = 0; j < subQuantizers(); j++) {
      int from = splits[j];
      int len = splits[j + 1] - from;
      int entry = ENTRIES * from + (codes[at + j] & 0xff) * len;
      for (int d = 0; d < len; d++) {
        x[from + d] += entries[entry + d];
      }
    }
  }

  long heapBytes() {
    return 4L * (entries.length + splits.length);
  }
}
