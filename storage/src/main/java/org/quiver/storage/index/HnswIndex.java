package org.quiver.storage.index;

import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.SegmentManifest;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorColumn;

/**
 * An HNSW graph over the vectors of one sealed segment, built with jvector and kept on disk in
 * jvector's format (vectors inline), memory-mapped for search.
 *
 * <p>Files: {@value #GRAPH_FILE} and a {@link SegmentManifest} listing it with its size and
 * CRC32C, written last; {@link #load} verifies both before mapping the graph. Node {@code i} is row
 * {@code i} of the segment. Searches are thread-safe (each borrows a searcher from a pool);
 * {@link #close} must not run concurrently with a search.
 */
public final class HnswIndex implements VectorIndex {
  /** HNSW's format: the graph written by jvector, scored against the segment's vectors. */
  public static final IndexFormat FORMAT = new IndexFormat() {
    @Override
    public IndexMethod method() {
      return IndexMethod.HNSW;
    }

    @Override
    public Writer writer() {
      return (dir, segmentId, vectors, dim, count, params) -> build(dir, segmentId, vectors, dim,
          count, params.metric(), params.m(), params.efConstruction());
    }

    @Override
    public Reader reader() {
      return (dir, metric, rows) -> load(dir, metric, rows == null ? null
          : () -> heap(rows::row, rows.dimension(), rows.rowCount()));
    }
  };

  public static final String GRAPH_FILE = "graph.jvector";
  private static final VectorTypeSupport VECTORS = GraphVectors.TYPES;
  /** How far a graph node may overflow its degree while building, and the diversity alpha. */
  private static final float NEIGHBOR_OVERFLOW = 1.2f;
  private static final float ALPHA = 1.2f;

  /**
   * The most neighbours a node keeps on each layer of a graph built with HNSW's {@code m}: 2m on
   * the base layer and m above it, as the HNSW paper sets them (M_max0 = 2M) and as pgvector,
   * hnswlib and Milvus read {@code m}. jvector's own {@code M} is one degree for every layer, so
   * handing it m alone would build a base layer half as dense as theirs for the same setting,
   * which reaches a given recall only at a wider search.
   */
  public static List<Integer> maxDegrees(int m) {
    return List.of(baseDegree(m), m);
  }

  /** The most neighbours a node keeps on the base layer, which every search walks: 2m. */
  public static int baseDegree(int m) {
    return 2 * m;
  }

  /** jvector's builder of an HNSW graph with {@code m} and {@code efConstruction}. */
  public static GraphIndexBuilder builder(RandomAccessVectorValues values,
      VectorSimilarityFunction similarity, int m, int efConstruction) {
    return GraphIndexBuilder.builder(values, similarity, maxDegrees(m))
        .withBeamWidth(efConstruction)
        .withNeighborOverflow(NEIGHBOR_OVERFLOW)
        .withAlpha(ALPHA)
        .build();
  }

  private final ReaderSupplier reader;
  private final OnDiskGraphIndex graph;
  private final IndexMetric metric;
  private final ConcurrentLinkedQueue<GraphSearcher> searchers = new ConcurrentLinkedQueue<>();
  /** The segment's vectors on the heap, for scoring; null: score with the vectors in the file. */
  private final HeapVectors heapVectors;

  private HnswIndex(ReaderSupplier reader, OnDiskGraphIndex graph, IndexMetric metric,
      HeapVectors heapVectors) {
    this.reader = reader;
    this.graph = graph;
    this.metric = metric;
    this.heapVectors = heapVectors;
  }

  /**
   * A heap copy of a segment's vectors, one array per row, and jvector's view of the same arrays
   * (its vectors wrap them, they are not copied again).
   */
  private record HeapVectors(float[][] rows, RandomAccessVectorValues values) {}

  private static HeapVectors heap(float[] vectors, int dim, int count) {
    return heap(i -> java.util.Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim), dim, count);
  }

  private static HeapVectors heap(IntFunction<float[]> row, int dim, int count) {
    float[][] arrays = new float[count][];
    List<VectorFloat<?>> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      arrays[i] = row.apply(i);
      rows.add(VECTORS.createFloatVector(arrays[i]));
    }
    return new HeapVectors(arrays, new ListRandomAccessVectorValues(rows, dim));
  }

  /**
   * Builds the graph of {@code count} vectors of dimension {@code dim} stored row after row in
   * {@code vectors}, and writes it into {@code dir} (created if absent).
   *
   * @param m maximum neighbours per node
   * @param efConstruction candidate list size while building
   */
  public static void build(Path dir, long segmentId, float[] vectors, int dim, int count,
      IndexMetric metric, int m, int efConstruction) throws IOException {
    // Rows whose vector is NULL get no node: the graph is built over the others, then written
    // with each node at its row's ordinal, so node i stays row i and a NULL row's ordinal is a
    // hole no edge leads to.
    int[] present = NullVectors.presentRows(vectors, dim, count);
    RandomAccessVectorValues values = (present.length == count ? heap(vectors, dim, count)
        : heap(NullVectors.gather(vectors, dim, present), dim, present.length)).values();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(GRAPH_FILE + ".tmp");
    try (GraphIndexBuilder builder = builder(values, metric.similarity(), m, efConstruction)) {
      ImmutableGraphIndex built = builder.build(values);
      if (present.length == count) {
        OnDiskGraphIndex.write(built, values, tmp);
      } else {
        Map<Integer, Integer> nodeToRow = new HashMap<>();
        for (int node = 0; node < present.length; node++) {
          nodeToRow.put(node, present[node]);
        }
        OnDiskGraphIndex.write(built, values, nodeToRow, tmp);
      }
    }
    Files.move(tmp, dir.resolve(GRAPH_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    new SegmentManifest(segmentId, count, 0, 0, List.of(FileInfo.of(dir, GRAPH_FILE))).write(dir);
  }

  /** Opens the index in {@code dir} after verifying its files against the manifest. */
  public static HnswIndex load(Path dir, IndexMetric metric) throws IOException {
    return load(dir, metric, (java.util.function.Supplier<HeapVectors>) null);
  }

  /**
   * Opens the index and scores candidates against {@code vectors} (row after row, the segment's
   * rows in memory) rather than against the copies in the file: reading floats from the heap is
   * faster than from the mapped file, at the cost of a second copy of the vectors on the heap.
   */
  public static HnswIndex load(Path dir, IndexMetric metric, float[] vectors, int dim)
      throws IOException {
    return load(dir, metric,
        vectors == null ? null : () -> heap(vectors, dim, vectors.length / dim));
  }

  /**
   * Opens the index and scores candidates against a heap copy of {@code vectors}, the segment's
   * mapped vector column, for the reason given above.
   */
  public static HnswIndex load(Path dir, IndexMetric metric, VectorColumn vectors)
      throws IOException {
    return load(dir, metric,
        () -> heap(vectors::row, vectors.dimension(), vectors.rowCount()));
  }

  private static HnswIndex load(Path dir, IndexMetric metric,
      java.util.function.Supplier<HeapVectors> scoring) throws IOException {
    SegmentManifest manifest = SegmentManifest.read(dir);
    if (manifest.file(GRAPH_FILE).isEmpty()) {
      throw new CorruptSegmentException(dir.resolve(SegmentManifest.FILE_NAME),
          "the index manifest lists no " + GRAPH_FILE);
    }
    ReaderSupplier reader = ReaderSupplierFactory.open(dir.resolve(GRAPH_FILE));
    try {
      OnDiskGraphIndex graph = OnDiskGraphIndex.load(reader);
      HeapVectors heapVectors = scoring == null ? null : scoring.get();
      return new HnswIndex(reader, graph, metric, heapVectors);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  @Override
  public int size() {
    return graph.size(0);
  }

  @Override
  public IndexMethod method() {
    return IndexMethod.HNSW;
  }

  @Override
  public IndexMetric metric() {
    return metric;
  }

  @Override
  public int[] search(float[] query, int topK, SearchParams params, IntPredicate accept) {
    return search(query, topK, params.ef(), accept);
  }

  /** The heap copy of the vectors used for scoring (jvector's graph itself is mapped). */
  @Override
  public long heapBytes() {
    return heapVectors == null ? 0
        : (long) heapVectors.values().size() * heapVectors.values().dimension() * Float.BYTES;
  }

  @Override
  public float[] heapVector(int row) {
    return heapVectors == null ? null : heapVectors.rows()[row];
  }

  /**
   * The rows nearest to {@code query} among those {@code accept} lets through, best first, at most
   * {@code topK}; {@code ef} (>= topK) is the width of the search.
   */
  public int[] search(float[] query, int topK, int ef, IntPredicate accept) {
    GraphSearcher searcher = searchers.poll();
    if (searcher == null) {
      searcher = new GraphSearcher(graph);
    }
    try {
      VectorFloat<?> q = VECTORS.createFloatVector(query);
      RandomAccessVectorValues values = heapVectors != null
          ? heapVectors.values() : (RandomAccessVectorValues) searcher.getView();
      Bits bits = accept == null ? Bits.ALL : accept::test;
      SearchResult result = searcher.search(
          DefaultSearchScoreProvider.exact(q, metric.similarity(), values),
          topK, Math.max(ef, topK), 0.0f, 0.0f, bits);
      SearchResult.NodeScore[] nodes = result.getNodes();
      int[] rows = new int[nodes.length];
      for (int i = 0; i < nodes.length; i++) {
        rows[i] = nodes[i].node;
      }
      return rows;
    } finally {
      searchers.add(searcher);
    }
  }

  @Override
  public void close() throws IOException {
    for (GraphSearcher s; (s = searchers.poll()) != null; ) {
      s.close();
    }
    graph.close();
    reader.close();
  }
}
