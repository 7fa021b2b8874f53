package org.quiver.storage.index.ivf;

/**
 * IVF_SQ8's quantizer: each dimension's values between its smallest ({@code lows}) and largest
 * are cut into 255 equal steps, and a value is kept as the number of its nearest step, one byte.
 * A dimension whose values are all equal has step 0 and code 0.
 */
record ScalarQuantizer(float[] lows, float[] steps) {
  private static final int LEVELS = 255;

  /** The smallest value and the step of every dimension of {@code count} vectors. */
  static ScalarQuantizer train(float[] vectors, int dim, int count) {
    float[] lows = new float[dim];
    float[] highs = new float[dim];
    java.util.Arrays.fill(lows, Float.POSITIVE_INFINITY);
    java.util.Arrays.fill(highs, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < count; i++) {
      for (int d = 0; d < dim; d++) {
        float x = vectors[i * dim + d];
        lows[d] = Math.min(lows[d], x);
        highs[d] = Math.max(highs[d], x);
      }
    }
    float[] steps = new float[dim];
    for (int d = 0; d < dim; d++) {
      if (count == 0) {
        lows[d] = 0;
      } else {
        steps[d] = (highs[d] - lows[d]) / LEVELS;
      }
    }
    return new ScalarQuantizer(lows, steps);
  }

  /** Writes the code of the vector at {@code vectors[from..]} into {@code codes[at..]}. */
  void encode(float[] vectors, int from, byte[] codes, int at) {
    for (int d = 0; d < lows.length; d++) {
      int level = steps[d] == 0 ? 0
          : Math.round((vectors[from + d] - lows[d]) / steps[d]);
      codes[at + d] = (byte) Math.max(0, Math.min(LEVELS, level));
    }
  }

  /** The value code {@code code} stands for in dimension {@code d}. */
  float decode(int d, int code) {
    return lows[d] + code * steps[d];
  }

  long heapBytes() {
    return 8L * lows.length;
  }
}
