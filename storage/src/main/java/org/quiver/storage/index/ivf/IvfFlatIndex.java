package org.quiver.storage.index.ivf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.IntPredicate;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.vector.TopK;
import org.quiver.storage.vector.VectorKernels;

/**
 * An open IVF_FLAT index: each list's vectors lie one after another in the memory-mapped file,
 * and a search computes exact distances over the {@code nprobe} lists nearest to the query, so
 * with {@code nprobe = nlist} it is exact. Searches are thread-safe; the mapping lives until
 * {@link #close}.
 */
final class IvfFlatIndex implements VectorIndex {
  /** Rows of a list scored per kernel call when every row is accepted. */
  private static final int SCAN_BLOCK = 256;

  private final InvertedLists lists;
  private final IndexMetric metric;
  private final int dim;
  private final Arena arena;
  private final MemorySegment file;
  private final long vectorsAt;

  IvfFlatIndex(InvertedLists lists, IndexMetric metric, int dim, Arena arena, MemorySegment file,
      long vectorsAt) {
    this.lists = lists;
    this.metric = metric;
    this.dim = dim;
    this.arena = arena;
    this.file = file;
    this.vectorsAt = vectorsAt;
  }

  @Override
  public IndexMethod method() {
    return IndexMethod.IVF_FLAT;
  }

  @Override
  public IndexMetric metric() {
    return metric;
  }

  @Override
  public int size() {
    return lists.size();
  }

  @Override
  public long heapBytes() {
    return lists.heapBytes();
  }

  @Override
  public int[] search(float[] query, int topK, SearchParams params, IntPredicate accept) {
    float qNorm = (float) Math.sqrt(VectorKernels.normSquared(query, 0, dim));
    int[] probed = lists.nearest(lists.probe(query), params.nprobe());
    TopK top = new TopK(topK);
    long stride = (long) dim * Float.BYTES;
    if (accept == null) {
      float[] block = new float[SCAN_BLOCK];
      for (int list : probed) {
        for (int p = lists.start(list), end = lists.end(list); p < end; p += SCAN_BLOCK) {
          int n = Math.min(SCAN_BLOCK, end - p);
          metric.distances(query, qNorm, file, vectorsAt + p * stride, dim, n, block);
          for (int i = 0; i < n; i++) {
            if (block[i] <= top.threshold()) {
              top.offer(block[i], lists.row(p + i));
            }
          }
        }
      }
      return InvertedLists.drain(top);
    }
    for (int list : probed) {
      for (int p = lists.start(list), end = lists.end(list); p < end; p++) {
        int row = lists.row(p);
        if (!accept.test(row)) {
          continue;
        }
        float d = metric.distance(query, qNorm, file, vectorsAt + p * stride, dim);
        if (d <= top.threshold()) {
          top.offer(d, row);
        }
      }
    }
    return InvertedLists.drain(top);
  }

  @Override
  public void close() {
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }
}
