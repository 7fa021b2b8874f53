package org.quiver.storage.index;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.IntPredicate;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.SegmentManifest;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.TopK;
import org.quiver.storage.vector.VectorKernels;

/**
 * An inverted-file index over the vectors of one sealed segment: a k-means coarse quantizer of
 * {@code nlist} centroids, and for each centroid the list of rows nearest to it. A search scans the
 * {@code nprobe} lists whose centroids are nearest to the query.
 *
 * <ul>
 *   <li>IVF_FLAT keeps each list's vectors contiguous in the index file, memory-mapped, and
 *       computes exact distances while scanning, so with {@code nprobe = nlist} it is exact.
 *   <li>IVF_PQ keeps, on the heap, a product-quantized code per row ({@code pqM} bytes: the
 *       residual to its centroid, split into {@code pqM} sub-vectors, each replaced by the nearest
 *       of 256 sub-centroids). A search ranks the probed rows by the codes (one table of
 *       sub-vector inner products per query) and re-ranks the best {@link #rerankDepth} candidates exactly from the segment's
 *       raw vectors, so recall stays close to IVF_FLAT's at a fraction of the memory.
 * </ul>
 *
 * <p>Metrics: L2 probes and quantizes by squared Euclidean distance; COSINE does the same on
 * normalised vectors; IP assigns rows and probes lists by the largest inner product with the
 * centroid. Final distances are always the exact metric.
 *
 * <h2>File format</h2>
 * One file {@value #FILE}, little-endian: a header of eight 32-bit integers (magic
 * {@code "QIVF"}, format version {@value #VERSION}, method number, metric number, dimension, row
 * count: the segment's rows whose vector is not NULL, which alone the lists hold, nlist, pqM), the centroids ({@code nlist * dim} floats), the list starts ({@code nlist +
 * 1} ints), the row numbers in list order ({@code count} ints); then for IVF_FLAT the vectors in
 * list order ({@code count * dim} floats), for IVF_PQ the codebooks ({@code 256 * dim} floats,
 * sub-quantizer {@code j} at {@code 256 * start(j)}) and the codes ({@code count * pqM} bytes, in
 * list order). A {@link SegmentManifest} lists the file with its size and CRC32C, written last.
 */
public final class IvfIndex implements VectorIndex {
  public static final String FILE = "ivf.bin";
  public static final int VERSION = 1;
  private static final int MAGIC = 0x46564951; // "QIVF" read little-endian
  private static final int HEADER_BYTES = 8 * Integer.BYTES;
  private static final int CODEBOOK = 256;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  /** IVF_FLAT's format. */
  public static final IndexFormat FLAT_FORMAT = format(IndexMethod.IVF_FLAT);
  /** IVF_PQ's format. */
  public static final IndexFormat PQ_FORMAT = format(IndexMethod.IVF_PQ);

  private final IndexMethod method;
  private final IndexMetric metric;
  private final int dim;
  private final int count;
  private final int nlist;
  private final int pqM;
  private final float[] centroids;
  private final int[] listStart;
  private final int[] rowIds;
  /** IVF_FLAT: the mapped file, the vectors in list order from {@link #vectorsOffset}. */
  private final Arena arena;
  private final MemorySegment file;
  private final long vectorsOffset;
  /** IVF_PQ: codebooks (256 entries per sub-quantizer) and codes, on the heap. */
  private final float[] codebooks;
  private final byte[] codes;
  private final int[] subStart;
  /**
   * IVF_PQ with L2: per position in list order, the squared norm of the row's reconstruction
   * (its centroid plus its decoded residual), so that one table per query serves every list.
   */
  private final float[] reconstructionNorms;
  private final SegmentVectors rows;

  private IvfIndex(IndexMethod method, IndexMetric metric, int dim, int count, int nlist, int pqM,
      float[] centroids, int[] listStart, int[] rowIds, Arena arena, MemorySegment file,
      long vectorsOffset, float[] codebooks, byte[] codes, SegmentVectors rows) {
    this.method = method;
    this.metric = metric;
    this.dim = dim;
    this.count = count;
    this.nlist = nlist;
    this.pqM = pqM;
    this.centroids = centroids;
    this.listStart = listStart;
    this.rowIds = rowIds;
    this.arena = arena;
    this.file = file;
    this.vectorsOffset = vectorsOffset;
    this.codebooks = codebooks;
    this.codes = codes;
    this.subStart = pqM == 0 ? null : subStarts(dim, pqM);
    this.reconstructionNorms = pqM == 0 || metric != IndexMetric.L2 ? null : reconstructionNorms();
    this.rows = rows;
  }

  private static IndexFormat format(IndexMethod method) {
    return new IndexFormat() {
      @Override
      public IndexMethod method() {
        return method;
      }

      @Override
      public Writer writer() {
        return (dir, segmentId, vectors, dim, count, params) ->
            build(method, dir, segmentId, vectors, dim, count, params);
      }

      @Override
      public Reader reader() {
        return (dir, metric, rows) -> load(method, dir, metric, rows);
      }
    };
  }

  /** Sub-quantizer {@code j} covers dimensions {@code [s[j], s[j + 1])}. */
  private static int[] subStarts(int dim, int pqM) {
    int[] s = new int[pqM + 1];
    for (int j = 0; j <= pqM; j++) {
      s[j] = (int) ((long) j * dim / pqM);
    }
    return s;
  }

  /** How many candidates ranked by their codes IVF_PQ re-ranks exactly for {@code topK}. */
  public static int rerankDepth(int topK) {
    return Math.max(10 * topK, 100);
  }

  // ---------------------------------------------------------------- writing

  static void build(IndexMethod method, Path dir, long segmentId, float[] segmentVectors,
      int dim, int segmentRows, IndexParams params) throws IOException {
    // Rows whose vector is NULL are left out: the lists hold the others, under their row numbers.
    int[] present = NullVectors.presentRows(segmentVectors, dim, segmentRows);
    int count = present.length;
    float[] vectors = count == segmentRows ? segmentVectors
        : NullVectors.gather(segmentVectors, dim, present);
    IndexMetric metric = params.metric();
    // Cosine quantizes directions: the vectors normalised; the others take them as they are.
    float[] space = metric == IndexMetric.COSINE ? normalisedCopy(vectors, dim, count) : vectors;
    int nlist = Math.max(1, Math.min(params.nlist() == 0 ? IndexParams.DEFAULT_NLIST
        : params.nlist(), count));
    float[] centroids = KMeans.train(space, dim, count, nlist, params.seed());
    int[] assignment = new int[count];
    float[] point = new float[dim];
    for (int i = 0; i < count; i++) {
      System.arraycopy(space, i * dim, point, 0, dim);
      assignment[i] = nearestList(metric, point, centroids, nlist, dim);
    }
    int[] listStart = new int[nlist + 1];
    for (int a : assignment) {
      listStart[a + 1]++;
    }
    for (int l = 0; l < nlist; l++) {
      listStart[l + 1] += listStart[l];
    }
    int[] rowIds = new int[count];
    int[] fill = java.util.Arrays.copyOf(listStart, nlist);
    for (int i = 0; i < count; i++) {
      rowIds[fill[assignment[i]]++] = i;
    }
    int pqM = method == IndexMethod.IVF_PQ ? params.subQuantizers(dim) : 0;

    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(MAGIC).putInt(VERSION).putInt(method.number()).putInt(metric.number())
          .putInt(dim).putInt(count).putInt(nlist).putInt(pqM).flip();
      writeFully(out, header);
      writeFloats(out, centroids, 0, centroids.length);
      writeInts(out, listStart);
      int[] segmentRowIds = new int[count];
      for (int p = 0; p < count; p++) {
        segmentRowIds[p] = present[rowIds[p]];
      }
      writeInts(out, segmentRowIds);
      if (method == IndexMethod.IVF_FLAT) {
        // The original vectors (exact distances, also for cosine), in list order.
        float[] block = new float[Math.max(dim, (1 << 16) / dim * dim)];
        int perBlock = block.length / dim;
        for (int p = 0; p < count; p += perBlock) {
          int n = Math.min(perBlock, count - p);
          for (int i = 0; i < n; i++) {
            System.arraycopy(vectors, rowIds[p + i] * dim, block, i * dim, dim);
          }
          writeFloats(out, block, 0, n * dim);
        }
      } else {
        int[] sub = subStarts(dim, pqM);
        float[] residuals = residuals(space, dim, count, centroids, assignment);
        float[] codebooks = trainCodebooks(residuals, dim, count, sub, params.seed());
        writeFloats(out, codebooks, 0, codebooks.length);
        byte[] codes = new byte[count * pqM];
        float[] residual = new float[dim];
        float[][] books = books(codebooks, sub);
        for (int p = 0; p < count; p++) {
          System.arraycopy(residuals, rowIds[p] * dim, residual, 0, dim);
          encode(residual, books, sub, codes, p * pqM);
        }
        writeFully(out, ByteBuffer.wrap(codes));
      }
      out.force(true);
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    new SegmentManifest(segmentId, count, 0, 0, List.of(FileInfo.of(dir, FILE))).write(dir);
  }

  private static float[] normalisedCopy(float[] vectors, int dim, int count) {
    float[] out = java.util.Arrays.copyOf(vectors, count * dim);
    for (int i = 0; i < count; i++) {
      normalise(out, i * dim, dim);
    }
    return out;
  }

  private static void normalise(float[] v, int offset, int dim) {
    float norm = (float) Math.sqrt(VectorKernels.normSquared(v, offset, dim));
    if (norm > 0) {
      for (int d = 0; d < dim; d++) {
        v[offset + d] /= norm;
      }
    }
  }

  /** The list a point belongs to: the nearest centroid by the metric's quantizer distance. */
  private static int nearestList(IndexMetric metric, float[] point, float[] centroids, int nlist,
      int dim) {
    if (metric != IndexMetric.IP) {
      return KMeans.nearest(point, centroids, nlist, dim);
    }
    int best = 0;
    float bestDot = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < nlist; c++) {
      float dot = VectorKernels.dot(point, centroids, c * dim, dim);
      if (dot > bestDot) {
        bestDot = dot;
        best = c;
      }
    }
    return best;
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

  /** 256 centroids per sub-space, trained by k-means on the residuals' sub-vectors. */
  private static float[] trainCodebooks(float[] residuals, int dim, int count, int[] sub,
      long seed) {
    float[] codebooks = new float[CODEBOOK * dim];
    for (int j = 0; j + 1 < sub.length; j++) {
      int len = sub[j + 1] - sub[j];
      float[] part = new float[count * len];
      for (int i = 0; i < count; i++) {
        System.arraycopy(residuals, i * dim + sub[j], part, i * len, len);
      }
      float[] book = KMeans.train(part, len, count, CODEBOOK, seed + 1 + j);
      System.arraycopy(book, 0, codebooks, CODEBOOK * sub[j], book.length);
    }
    return codebooks;
  }

  /** Codebook {@code j} as its own array, as {@link KMeans#nearest} takes it. */
  private static float[][] books(float[] codebooks, int[] sub) {
    float[][] books = new float[sub.length - 1][];
    for (int j = 0; j < books.length; j++) {
      books[j] = java.util.Arrays.copyOfRange(codebooks, CODEBOOK * sub[j], CODEBOOK * sub[j + 1]);
    }
    return books;
  }

  private static void encode(float[] residual, float[][] books, int[] sub, byte[] codes, int at) {
    for (int j = 0; j < books.length; j++) {
      int len = sub[j + 1] - sub[j];
      float[] part = java.util.Arrays.copyOfRange(residual, sub[j], sub[j + 1]);
      codes[at + j] = (byte) KMeans.nearest(part, books[j], CODEBOOK, len);
    }
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

  // ---------------------------------------------------------------- reading

  static IvfIndex load(IndexMethod method, Path dir, IndexMetric metric, SegmentVectors rows)
      throws IOException {
    SegmentManifest manifest = SegmentManifest.read(dir);
    Path path = dir.resolve(FILE);
    if (manifest.file(FILE).isEmpty()) {
      throw new CorruptSegmentException(dir.resolve(SegmentManifest.FILE_NAME),
          "the index manifest lists no " + FILE);
    }
    Arena arena = Arena.ofShared();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
      if (file.byteSize() < HEADER_BYTES || file.get(INT, 0) != MAGIC) {
        throw new CorruptSegmentException(path, "not an IVF index file");
      }
      int version = file.get(INT, 4);
      if (version != VERSION) {
        throw new CorruptSegmentException(path,
            "IVF index format version " + version + " is not supported (expected " + VERSION + ")");
      }
      int methodNumber = file.get(INT, 8);
      int metricNumber = file.get(INT, 12);
      int dim = file.get(INT, 16);
      int count = file.get(INT, 20);
      int nlist = file.get(INT, 24);
      int pqM = file.get(INT, 28);
      if (methodNumber != method.number() || metricNumber != metric.number()) {
        throw new CorruptSegmentException(path, "the file holds method number " + methodNumber
            + ", metric number " + metricNumber + "; expected " + method + " with " + metric);
      }
      if (rows != null && (dim != rows.dimension() || count > rows.rowCount())) {
        throw new CorruptSegmentException(path, "the index has " + count + " rows of " + dim
            + " floats, the segment " + rows.rowCount() + " of " + rows.dimension());
      }
      long at = HEADER_BYTES;
      float[] centroids = new float[nlist * dim];
      MemorySegment.copy(file, FLOAT, at, centroids, 0, centroids.length);
      at += (long) centroids.length * Float.BYTES;
      int[] listStart = new int[nlist + 1];
      MemorySegment.copy(file, INT, at, listStart, 0, listStart.length);
      at += (long) listStart.length * Integer.BYTES;
      int[] rowIds = new int[count];
      MemorySegment.copy(file, INT, at, rowIds, 0, count);
      at += (long) count * Integer.BYTES;
      long expected = at + (method == IndexMethod.IVF_FLAT ? (long) count * dim * Float.BYTES
          : (long) CODEBOOK * dim * Float.BYTES + (long) count * pqM);
      if (expected != file.byteSize() || listStart[nlist] != count) {
        throw new CorruptSegmentException(path, "the file has " + file.byteSize()
            + " bytes where its header implies " + expected);
      }
      if (method == IndexMethod.IVF_FLAT) {
        return new IvfIndex(method, metric, dim, count, nlist, 0, centroids, listStart, rowIds,
            arena, file, at, null, null, rows);
      }
      if (rows == null) {
        throw new IllegalArgumentException("IVF_PQ re-ranks from the segment's vectors: pass them");
      }
      float[] codebooks = new float[CODEBOOK * dim];
      MemorySegment.copy(file, FLOAT, at, codebooks, 0, codebooks.length);
      at += (long) codebooks.length * Float.BYTES;
      byte[] codes = new byte[count * pqM];
      MemorySegment.copy(file, ValueLayout.JAVA_BYTE, at, codes, 0, codes.length);
      // Everything IVF_PQ needs is on the heap now: the mapping is not kept.
      arena.close();
      return new IvfIndex(method, metric, dim, count, nlist, pqM, centroids, listStart, rowIds,
          null, null, 0, codebooks, codes, rows);
    } catch (IOException | RuntimeException e) {
      if (arena.scope().isAlive()) {
        arena.close();
      }
      throw e;
    }
  }

  private float[] reconstructionNorms() {
    float[] norms = new float[count];
    float[] x = new float[dim];
    for (int list = 0; list < nlist; list++) {
      for (int p = listStart[list]; p < listStart[list + 1]; p++) {
        System.arraycopy(centroids, list * dim, x, 0, dim);
        for (int j = 0; j < pqM; j++) {
          int from = subStart[j];
          int len = subStart[j + 1] - from;
          int entry = CODEBOOK * from + (codes[p * pqM + j] & 0xff) * len;
          for (int d = 0; d < len; d++) {
            x[from + d] += codebooks[entry + d];
          }
        }
        norms[p] = VectorKernels.normSquared(x, 0, dim);
      }
    }
    return norms;
  }

  @Override
  public IndexMethod method() {
    return method;
  }

  @Override
  public IndexMetric metric() {
    return metric;
  }

  @Override
  public int size() {
    return count;
  }

  /** Number of inverted lists. */
  public int nlist() {
    return nlist;
  }

  /** Bytes per code (IVF_PQ), 0 for IVF_FLAT. */
  public int codeBytes() {
    return pqM;
  }

  @Override
  public long heapBytes() {
    long bytes = 4L * (centroids.length + listStart.length + rowIds.length);
    if (codes != null) {
      bytes += codes.length + 4L * codebooks.length;
    }
    if (reconstructionNorms != null) {
      bytes += 4L * reconstructionNorms.length;
    }
    return bytes;
  }

  // ---------------------------------------------------------------- searching

  @Override
  public int[] search(float[] query, int topK, SearchParams params, IntPredicate accept) {
    if (query.length != dim) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dimensions, the index " + dim);
    }
    float qNorm = (float) Math.sqrt(VectorKernels.normSquared(query, 0, dim));
    float[] probe = query;
    if (metric == IndexMetric.COSINE) {
      probe = query.clone();
      normalise(probe, 0, dim);
    }
    int[] lists = nearestLists(probe, Math.min(params.nprobe(), nlist));
    return method == IndexMethod.IVF_FLAT
        ? scanFlat(query, qNorm, topK, lists, accept)
        : scanCodes(query, qNorm, probe, topK, lists, accept);
  }

  /** The {@code n} lists whose centroids are nearest to {@code probe}, nearest first. */
  private int[] nearestLists(float[] probe, int n) {
    TopK best = new TopK(n);
    for (int c = 0; c < nlist; c++) {
      float d = metric == IndexMetric.IP
          ? -VectorKernels.dot(probe, centroids, c * dim, dim)
          : VectorKernels.l2Squared(probe, centroids, c * dim, dim);
      if (d <= best.threshold()) {
        best.offer(d, c);
      }
    }
    return drain(best);
  }

  private static int[] drain(TopK top) {
    int[] out = new int[top.size()];
    top.drainSorted(new float[out.length], out);
    return out;
  }

  /** Rows of a list scored per kernel call when every row is accepted. */
  private static final int SCAN_BLOCK = 256;

  private int[] scanFlat(float[] query, float qNorm, int topK, int[] lists, IntPredicate accept) {
    TopK top = new TopK(topK);
    long stride = (long) dim * Float.BYTES;
    if (accept == null) {
      // A list's vectors lie one after another in the file: scored a block per kernel call.
      float[] block = new float[SCAN_BLOCK];
      for (int list : lists) {
        for (int p = listStart[list], end = listStart[list + 1]; p < end; p += SCAN_BLOCK) {
          int n = Math.min(SCAN_BLOCK, end - p);
          metric.distances(query, qNorm, file, vectorsOffset + p * stride, dim, n, block);
          for (int i = 0; i < n; i++) {
            if (block[i] <= top.threshold()) {
              top.offer(block[i], rowIds[p + i]);
            }
          }
        }
      }
      return drain(top);
    }
    for (int list : lists) {
      for (int p = listStart[list], end = listStart[list + 1]; p < end; p++) {
        int row = rowIds[p];
        if (accept != null && !accept.test(row)) {
          continue;
        }
        float d = metric.distance(query, qNorm, file, vectorsOffset + p * stride, dim);
        if (d <= top.threshold()) {
          top.offer(d, row);
        }
      }
    }
    return drain(top);
  }

  /**
   * Ranks the probed rows by their codes, then re-ranks the best {@link #rerankDepth} exactly.
   * One table of inner products between the query's sub-vectors and the codebook entries serves
   * every list: a row's approximate inner product is {@code q.c + sum_j table[j][code_j]}, and its
   * approximate squared L2 distance (less the constant |q|^2) is {@code |x|^2 - 2 q.x} with the
   * reconstruction's norm precomputed at load.
   */
  private int[] scanCodes(float[] query, float qNorm, float[] probe, int topK, int[] lists,
      IntPredicate accept) {
    TopK candidates = new TopK(rerankDepth(topK));
    float[] table = new float[pqM * CODEBOOK];
    fillTable(probe, table);
    boolean l2 = metric == IndexMetric.L2;
    for (int list : lists) {
      float qc = VectorKernels.dot(probe, centroids, list * dim, dim);
      for (int p = listStart[list], end = listStart[list + 1]; p < end; p++) {
        int row = rowIds[p];
        if (accept != null && !accept.test(row)) {
          continue;
        }
        float dot = qc;
        for (int j = 0, at = p * pqM; j < pqM; j++) {
          dot += table[j * CODEBOOK + (codes[at + j] & 0xff)];
        }
        float d = l2 ? reconstructionNorms[p] - 2 * dot : -dot;
        if (d <= candidates.threshold()) {
          candidates.offer(d, row);
        }
      }
    }
    int[] shortlist = drain(candidates);
    TopK top = new TopK(topK);
    for (int row : shortlist) {
      top.offer(rows.distance(metric, query, qNorm, row), row);
    }
    return drain(top);
  }

  /** The inner product of each sub-vector of {@code q} with each codebook entry. */
  private void fillTable(float[] q, float[] table) {
    for (int j = 0; j < pqM; j++) {
      int from = subStart[j];
      int len = subStart[j + 1] - from;
      int book = CODEBOOK * from;
      for (int c = 0; c < CODEBOOK; c++) {
        float s = 0;
        int e = book + c * len;
        for (int x = 0; x < len; x++) {
          s += q[from + x] * codebooks[e + x];
        }
        table[j * CODEBOOK + c] = s;
      }
    }
  }

  @Override
  public void close() {
    if (arena != null && arena.scope().isAlive()) {
      arena.close();
    }
  }
}
