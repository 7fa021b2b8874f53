package org.quiver.storage.vector;

import java.util.Random;

/**
 * A seeded generator of vectors that look like embeddings more than uniform noise does: a
 * mixture of Gaussian clusters whose spread lies mostly in a shared low-rank subspace, plus a
 * little isotropic noise. Nearest-neighbour structure on such data is what indexes are built for
 * (on uniform random vectors in high dimension every point is about equally far, and any index
 * looks broken); tests and the benchmark tool use it.
 *
 * <p>A point of cluster {@code c} is {@code centre[c] + B z + noise}: {@code B} a {@code dim x
 * rank} Gaussian basis, {@code z ~ N(0, I)}, noise {@code N(0, 0.1^2 I)}; centres are {@code N(0,
 * 4 I)} scaled so clusters overlap a little. The same seed gives the same points. Not
 * thread-safe.
 */
public final class LowRankMixture {
  private final int dim;
  private final int rank;
  private final float[][] centres;
  private final float[] basis;
  private final Random random;

  public LowRankMixture(long seed, int dim, int rank, int clusters) {
    if (dim < 1 || rank < 1 || clusters < 1) {
      throw new IllegalArgumentException("dim, rank and clusters must be >= 1");
    }
    this.dim = dim;
    this.rank = Math.min(rank, dim);
    this.random = new Random(seed);
    this.centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) (random.nextGaussian() * 2);
      }
    }
    this.basis = new float[dim * this.rank];
    double scale = 1 / Math.sqrt(this.rank);
    for (int i = 0; i < basis.length; i++) {
      basis[i] = (float) (random.nextGaussian() * scale);
    }
  }

  public int dimension() {
    return dim;
  }

  /** The next point, written at {@code offset} of {@code out}. */
  public void next(float[] out, int offset) {
    float[] c = centres[random.nextInt(centres.length)];
    double[] z = new double[rank];
    for (int r = 0; r < rank; r++) {
      z[r] = random.nextGaussian();
    }
    for (int d = 0; d < dim; d++) {
      double v = c[d] + random.nextGaussian() * 0.1;
      for (int r = 0; r < rank; r++) {
        v += basis[d * rank + r] * z[r];
      }
      out[offset + d] = (float) v;
    }
  }

  /** The next {@code count} points, row after row. */
  public float[] next(int count) {
    float[] out = new float[count * dim];
    for (int i = 0; i < count; i++) {
      next(out, i * dim);
    }
    return out;
  }

  /** Scales each row of {@code vectors} to unit length (zero rows stay zero). */
  public static void normalise(float[] vectors, int dim) {
    for (int off = 0; off < vectors.length; off += dim) {
      float norm = (float) Math.sqrt(VectorKernels.normSquared(vectors, off, dim));
      if (norm > 0) {
        for (int d = 0; d < dim; d++) {
          vectors[off + d] /= norm;
        }
      }
    }
  }
}
