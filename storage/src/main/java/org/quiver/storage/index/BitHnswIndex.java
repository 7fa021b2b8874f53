package org.quiver.storage.index;

import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndexWriter;
import io.github.jbellis.jvector.graph.disk.feature.Feature;
import io.github.jbellis.jvector.graph.disk.feature.FeatureId;
import io.github.jbellis.jvector.graph.disk.feature.InlineVectors;
import io.github.jbellis.jvector.graph.disk.feature.SeparatedVectors;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.SegmentManifest;

/**
 * An HNSW graph over the bit strings of one sealed segment (a BINARY_VECTOR column), by Hamming or
 * Jaccard distance: built with jvector's {@link GraphIndexBuilder} over a score provider of
 * Quiver's that counts bits 64 at a time, and kept in jvector's on-disk format, memory-mapped for
 * search.
 *
 * <p>jvector scores with similarities (larger is nearer); a distance d maps to
 * {@link IndexMetric#similarity(float)}: {@code 1 / (1 + d)} for Hamming, {@code 1 - d / 2} for
 * Jaccard. Candidates are scored against the segment's own column, where its bytes lie: the graph
 * holds no copy of the bits. jvector's writer needs a vector feature to record a dimension, so the
 * graph file carries a one-float {@code SEPARATED_VECTORS} feature of zeros (four bytes a node,
 * after the adjacency lists, never read).
 *
 * <p>Files: {@value #GRAPH_FILE} and a {@link SegmentManifest} listing it with its size and
 * CRC32C, written last; {@link #load} verifies both before mapping the graph. Node {@code i} is
 * row {@code i}; a NULL row has no node (its ordinal is a hole that no edge leads to). Searches
 * are thread-safe (each borrows a searcher from a pool); {@link #close} must not run concurrently
 * with a search.
 */
public final class BitHnswIndex implements SegmentIndex {
  public static final String GRAPH_FILE = HnswIndex.GRAPH_FILE;
  /** How far a graph node may overflow its degree while building, and the diversity alpha. */
  private static final float NEIGHBOR_OVERFLOW = 1.2f;
  private static final float ALPHA = 1.2f;
  /** The placeholder written as every node's vector feature (see the class comment). */
  private static final VectorFloat<?> PLACEHOLDER =
      GraphVectors.TYPES.createFloatVector(new float[1]);

  private final ReaderSupplier reader;
  private final OnDiskGraphIndex graph;
  private final IndexMetric metric;
  private final BinaryVectorColumn rows;
  private final ConcurrentLinkedQueue<GraphSearcher> searchers = new ConcurrentLinkedQueue<>();

  private BitHnswIndex(ReaderSupplier reader, OnDiskGraphIndex graph, IndexMetric metric,
      BinaryVectorColumn rows) {
    this.reader = reader;
    this.graph = graph;
    this.metric = metric;
    this.rows = rows;
  }

  /** The similarity of two rows by {@code metric}, on jvector's larger-is-nearer scale. */
  private static float similarity(IndexMetric metric, BinaryVectorColumn rows, int a, int b) {
    return metric.similarity(metric == IndexMetric.HAMMING ? rows.hamming(a, b)
        : (float) rows.jaccard(a, b));
  }

  /** The similarity of a row to the query {@code q}, on the same scale. */
  private static float similarity(IndexMetric metric, BinaryVectorColumn rows, int row,
      byte[] q) {
    return metric.similarity(metric == IndexMetric.HAMMING ? rows.hamming(row, q)
        : (float) rows.jaccard(row, q));
  }

  /**
   * jvector's build scoring over the rows {@code nodeToRow} lists (node n is row nodeToRow[n]):
   * exact, straight from the column. Nodes are added by their ordinal, never by a vector, and
   * jvector 4.0.2's builder asks for no centroid, so the two vector-valued methods are refused.
   */
  private static BuildScoreProvider scoring(IndexMetric metric, BinaryVectorColumn rows,
      int[] nodeToRow) {
    return new BuildScoreProvider() {
      @Override
      public boolean isExact() {
        return true;
      }

      @Override
      public VectorFloat<?> approximateCentroid() {
        throw new UnsupportedOperationException("a bit-string graph has no float centroid");
      }

      @Override
      public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
        throw new UnsupportedOperationException("bit-string nodes are added by ordinal");
      }

      @Override
      public SearchScoreProvider searchProviderFor(int node) {
        int from = nodeToRow[node];
        ScoreFunction.ExactScoreFunction score =
            other -> similarity(metric, rows, from, nodeToRow[other]);
        return new DefaultSearchScoreProvider(score);
      }

      @Override
      public SearchScoreProvider diversityProviderFor(int node) {
        return searchProviderFor(node);
      }
    };
  }

  /**
   * Builds the graph of the non-NULL rows of {@code column} by {@code params}' metric (HAMMING or
   * JACCARD), m and ef_construction, and writes it into {@code dir} (created if absent).
   */
  public static void build(Path dir, long segmentId, BinaryVectorColumn column, IndexParams params)
      throws IOException {
    IndexMetric metric = params.metric();
    if (!metric.isBinary()) {
      throw new IllegalArgumentException("a bit-string index takes hamming or jaccard, not "
          + metric);
    }
    if (params.quantization() != Quantization.NONE) {
      throw new IllegalArgumentException("a bit-string index has no quantization");
    }
    int count = column.size();
    int[] present = IntStream.range(0, count).filter(r -> !column.isNull(r)).toArray();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(GRAPH_FILE + ".tmp");
    List<Integer> degrees = HnswIndex.maxDegrees(params.m());
    BuildScoreProvider scoring = scoring(metric, column, present);
    try (GraphIndexBuilder builder = new GraphIndexBuilder(scoring, column.bits(), degrees,
        params.efConstruction(), NEIGHBOR_OVERFLOW, ALPHA, true, true)) {
      // Added by ordinal in parallel, as jvector's own build(values) adds vectors; cleanup()
      // then trims the neighbour lists to their degree, which the writer requires.
      IntStream.range(0, present.length).parallel()
          .forEach(node -> builder.addGraphNode(node, scoring.searchProviderFor(node)));
      builder.cleanup();
      ImmutableGraphIndex built = builder.getGraph();
      Map<Integer, Integer> nodeToRow = new HashMap<>();
      for (int node = 0; node < present.length; node++) {
        nodeToRow.put(node, present[node]);
      }
      try (OnDiskGraphIndexWriter writer = new OnDiskGraphIndexWriter.Builder(built, tmp)
          .withMap(nodeToRow)
          .with(new SeparatedVectors(1, 0L))
          .build()) {
        writer.write(Feature.singleStateFactory(FeatureId.SEPARATED_VECTORS,
            node -> new InlineVectors.State(PLACEHOLDER)));
      }
    }
    Files.move(tmp, dir.resolve(GRAPH_FILE), StandardCopyOption.ATOMIC_MOVE);
    new SegmentManifest(segmentId, count, 0, 0, List.of(FileInfo.of(dir, GRAPH_FILE))).write(dir);
  }

  /**
   * Opens the index in {@code dir} after verifying its files against the manifest; candidates are
   * scored against {@code column}, the segment's bit strings, read in place.
   */
  public static BitHnswIndex load(Path dir, IndexMetric metric, BinaryVectorColumn column)
      throws IOException {
    if (!metric.isBinary()) {
      throw new IllegalArgumentException("a bit-string index takes hamming or jaccard, not "
          + metric);
    }
    SegmentManifest manifest = SegmentManifest.read(dir);
    if (manifest.file(GRAPH_FILE).isEmpty()) {
      throw new CorruptSegmentException(dir.resolve(SegmentManifest.FILE_NAME),
          "the index manifest lists no " + GRAPH_FILE);
    }
    if (manifest.rowCount() != column.size()) {
      throw new CorruptSegmentException(dir.resolve(SegmentManifest.FILE_NAME),
          "the index has " + manifest.rowCount() + " rows, the segment " + column.size());
    }
    ReaderSupplier reader = ReaderSupplierFactory.open(dir.resolve(GRAPH_FILE));
    try {
      return new BitHnswIndex(reader, OnDiskGraphIndex.load(reader), metric, column);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
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
  public int size() {
    return graph.size(0);
  }

  /** The graph is mapped and the bits are the segment's: nothing on the heap per row. */
  @Override
  public long heapBytes() {
    return 0;
  }

  /**
   * The rows nearest to the bit string {@code query} (packed as the column's rows, of as many
   * bits) among those {@code accept} lets through (null: all), best first, at most {@code topK};
   * {@code ef} (raised to topK) is the width of the search.
   */
  public int[] search(byte[] query, int topK, int ef, IntPredicate accept) {
    if (query.length != rows.bytesPerRow()) {
      throw new IllegalArgumentException("a query of " + query.length
          + " bytes against bit strings of " + rows.bytesPerRow());
    }
    if (graph.size(0) == 0) {
      return new int[0];
    }
    GraphSearcher searcher = searchers.poll();
    if (searcher == null) {
      searcher = new GraphSearcher(graph);
    }
    try {
      Bits bits = accept == null ? Bits.ALL : accept::test;
      ScoreFunction.ExactScoreFunction score = row -> similarity(metric, rows, row, query);
      SearchResult result = searcher.search(new DefaultSearchScoreProvider(score), topK,
          Math.max(ef, topK), 0.0f, 0.0f, bits);
      SearchResult.NodeScore[] nodes = result.getNodes();
      int[] found = new int[nodes.length];
      for (int i = 0; i < nodes.length; i++) {
        found[i] = nodes[i].node;
      }
      return found;
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
