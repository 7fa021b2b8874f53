package org.quiver.storage.index.ivf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.vector.NullVectors;

/**
 * Builds the IVF index of one segment's vectors and writes it in the {@link IvfFormat}: trains
 * the coarse quantizer by {@link KMeans}, files each row under its nearest centroid, and for
 * IVF_PQ trains the {@link ProductQuantizer} on the residuals and encodes them. The file is
 * written beside its final name and moved into place, then the manifest is written last.
 */
final class IvfWriter {
  private IvfWriter() {}

  static void write(IndexMethod method, Path dir, long segmentId, float[] segmentVectors,
      int dim, int segmentRows, IndexParams params) throws IOException {
    // Rows whose vector is NULL, and by cosine rows of zeros, are left out: the lists hold the
    // others, under their row numbers. A zero row would normalise to the origin, not a direction
    // on the sphere the centroids are trained on; pgvector's IVFFlat skips it likewise, and HNSW
    // does (see IndexMetric.indexedRows), so no cosine index finds it.
    IndexMetric metric = params.metric();
    if (!IndexMetric.CODED_METRICS.contains(metric)) {
      // Lists are k-means cells of Euclidean space (of directions, by cosine): pgvector's IVFFlat
      // has no L1 class either.
      throw new IllegalArgumentException("an IVF index takes l2, ip or cosine, not " + metric);
    }
    int[] present = metric.indexedRows(segmentVectors, dim, segmentRows);
    int count = present.length;
    float[] vectors = count == segmentRows ? segmentVectors
        : NullVectors.gather(segmentVectors, dim, present);
    // Cosine quantizes directions: the vectors normalised; the others take them as they are.
    float[] space = metric == IndexMetric.COSINE ? normalisedCopy(vectors, dim, count) : vectors;
    int nlist = Math.max(1, Math.min(params.nlist() == 0 ? IndexParams.DEFAULT_NLIST
        : params.nlist(), count));
    float[] centroids = KMeans.train(space, dim, count, nlist, params.seed());
    Filing filing = file(metric, space, dim, count, centroids, nlist);
    int[] rowIds = new int[count];
    for (int p = 0; p < count; p++) {
      rowIds[p] = present[filing.order[p]];
    }
    int pqM = method == IndexMethod.IVF_PQ ? params.subQuantizers(dim) : 0;
    IvfFormat.Header header = new IvfFormat.Header(IvfFormat.VERSION, method, metric, dim, count,
        nlist, pqM);

    Files.createDirectories(dir);
    Path tmp = dir.resolve(IvfFormat.FILE + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      writeFully(out, header.encode());
      writeFloats(out, centroids, 0, centroids.length);
      writeInts(out, filing.listStart);
      writeInts(out, rowIds);
      if (method == IndexMethod.IVF_FLAT) {
        writeVectorsInListOrder(out, vectors, dim, filing.order);
      } else if (method == IndexMethod.IVF_SQ8) {
        ScalarQuantizer sq = ScalarQuantizer.train(space, dim, count);
        writeFloats(out, sq.lows(), 0, dim);
        writeFloats(out, sq.steps(), 0, dim);
        byte[] codes = new byte[count * dim];
        for (int p = 0; p < count; p++) {
          sq.encode(space, filing.order[p] * dim, codes, p * dim);
        }
        writeFully(out, ByteBuffer.wrap(codes));
      } else {
        float[] residuals = residuals(space, dim, count, centroids, filing.assignment);
        ProductQuantizer.Trained pq = ProductQuantizer.train(residuals, dim, count, pqM);
        writeInts(out, pq.codebooks().splits());
        float[] entries = pq.codebooks().entries();
        writeFloats(out, entries, 0, entries.length);
        byte[] codes = new byte[count * pqM];
        for (int p = 0; p < count; p++) {
          System.arraycopy(pq.codes(), filing.order[p] * pqM, codes, p * pqM, pqM);
        }
        writeFully(out, ByteBuffer.wrap(codes));
      }
      out.force(true);
    }
    Files.move(tmp, dir.resolve(IvfFormat.FILE), StandardCopyOption.ATOMIC_MOVE);
    IvfFormat.writeManifest(dir, segmentId, count);
  }

  /**
   * Where each point goes: {@code assignment[i]} is point {@code i}'s list, list {@code l} holds
   * positions {@code [listStart[l], listStart[l + 1])}, and {@code order[p]} is the point at
   * position {@code p}.
   */
  private record Filing(int[] assignment, int[] listStart, int[] order) {}

  /** Files each point under its nearest centroid, the lists in centroid order. */
  private static Filing file(IndexMetric metric, float[] space, int dim, int count,
      float[] centroids, int nlist) {
    int[] assignment = new int[count];
    int[] listStart = new int[nlist + 1];
    float[] point = new float[dim];
    for (int i = 0; i < count; i++) {
      System.arraycopy(space, i * dim, point, 0, dim);
      assignment[i] = InvertedLists.nearestList(metric, point, centroids, nlist, dim);
      listStart[assignment[i] + 1]++;
    }
    for (int l = 0; l < nlist; l++) {
      listStart[l + 1] += listStart[l];
    }
    int[] order = new int[count];
    int[] fill = Arrays.copyOf(listStart, nlist);
    for (int i = 0; i < count; i++) {
      order[fill[assignment[i]]++] = i;
    }
    return new Filing(assignment, listStart, order);
  }

  /** The original vectors (exact distances, also for cosine), in list order, a block at a time. */
  private static void writeVectorsInListOrder(FileChannel out, float[] vectors, int dim,
      int[] order) throws IOException {
    float[] block = new float[Math.max(dim, (1 << 16) / dim * dim)];
    int perBlock = block.length / dim;
    for (int p = 0; p < order.length; p += perBlock) {
      int n = Math.min(perBlock, order.length - p);
      for (int i = 0; i < n; i++) {
        System.arraycopy(vectors, order[p + i] * dim, block, i * dim, dim);
      }
      writeFloats(out, block, 0, n * dim);
    }
  }

  private static float[] residuals(float[] space, int dim, int count, float[] centroids,
      int[] assignment) {
    float[] r = new float[count * dim];
    for (int i = 0; i < count; i++) {
      int c = assignment[i] * dim;
      for (int d = 0; d < dim; d++) {
        r[i * dim + d] = space[i * dim + d] - centroids[c + d];
      }
    }
    return r;
  }

  private static float[] normalisedCopy(float[] vectors, int dim, int count) {
    float[] out = Arrays.copyOf(vectors, count * dim);
    for (int i = 0; i < count; i++) {
      InvertedLists.normalise(out, i * dim, dim);
    }
    return out;
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  private static void writeFloats(FileChannel out, float[] values, int from, int n)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values, from, n);
    writeFully(out, b);
  }

  private static void writeInts(FileChannel out, int[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * Integer.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    writeFully(out, b);
  }
}
