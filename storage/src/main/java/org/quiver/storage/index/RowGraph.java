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
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.SegmentManifest;

/**
 * An HNSW graph over rows of a sealed segment that jvector cannot score itself (bit strings,
 * sparse vectors, float vectors by L1): built with jvector's {@link GraphIndexBuilder} over a score provider that asks
 * the owning index for the similarity of two rows, and kept in jvector's on-disk format,
 * memory-mapped for search. The owner scores candidates against the segment's own column, where
 * its values lie: the graph holds no copy of them.
 *
 * <p>Similarities are jvector's (larger is nearer) and must be positive, as jvector's search
 * thresholds and diversity pruning assume. jvector's writer needs a vector feature to record a
 * dimension, so the graph file carries a one-float {@code SEPARATED_VECTORS} feature of zeros (four
 * bytes a node, after the adjacency lists, never read).
 *
 * <p>Files: {@value #GRAPH_FILE} and a {@link SegmentManifest} listing it with its size and
 * CRC32C, written last; {@link #load} verifies both before mapping the graph. Node {@code i} is
 * row {@code i}; a row left out (NULL, or one the metric cannot place) has no node: its ordinal is
 * a hole that no edge leads to. Searches are thread-safe (each borrows a searcher from a pool);
 * {@link #close} must not run concurrently with a search.
 */
final class RowGraph implements AutoCloseable {
  static final String GRAPH_FILE = HnswIndex.GRAPH_FILE;
  /** How far a graph node may overflow its degree while building, and the diversity alpha. */
  private static final float NEIGHBOR_OVERFLOW = 1.2f;
  private static final float ALPHA = 1.2f;
  /** The placeholder written as every node's vector feature (see the class comment). */
  private static final VectorFloat<?> PLACEHOLDER =
      GraphVectors.TYPES.createFloatVector(new float[1]);

  /** The similarity of two rows of the segment (row numbers, not graph nodes). */
  @FunctionalInterface
  interface RowPairs {
    float similarity(int rowA, int rowB);
  }

  /**
   * The scores of every row from one row: for owners that prepare a row once (a copy of its
   * vector) before scoring it against the many its graph search meets.
   */
  @FunctionalInterface
  interface RowScores {
    RowScore from(int row);
  }

  /** The similarity of a row of the segment to the query being searched. */
  @FunctionalInterface
  interface RowScore {
    float similarity(int row);
  }

  private final ReaderSupplier reader;
  private final OnDiskGraphIndex graph;
  private final ConcurrentLinkedQueue<GraphSearcher> searchers = new ConcurrentLinkedQueue<>();

  private RowGraph(ReaderSupplier reader, OnDiskGraphIndex graph) {
    this.reader = reader;
    this.graph = graph;
  }

  /**
   * jvector's build scoring over the rows {@code nodeToRow} lists (node n is row nodeToRow[n]):
   * exact, straight from the column. Nodes are added by their ordinal, never by a vector, and
   * jvector 4.0.2's builder asks for no centroid, so the two vector-valued methods are refused.
   */
  private static BuildScoreProvider scoring(RowScores scores, int[] nodeToRow) {
    return new BuildScoreProvider() {
      @Override
      public boolean isExact() {
        return true;
      }

      @Override
      public VectorFloat<?> approximateCentroid() {
        throw new UnsupportedOperationException("a graph scored by rows has no float centroid");
      }

      @Override
      public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
        throw new UnsupportedOperationException("rows are added by ordinal");
      }

      @Override
      public SearchScoreProvider searchProviderFor(int node) {
        RowScore from = scores.from(nodeToRow[node]);
        ScoreFunction.ExactScoreFunction score = other -> from.similarity(nodeToRow[other]);
        return new DefaultSearchScoreProvider(score);
      }

      @Override
      public SearchScoreProvider diversityProviderFor(int node) {
        return searchProviderFor(node);
      }
    };
  }

  /**
   * Builds the graph of the rows {@code present} (ascending) of a segment of {@code rowCount}
   * rows, scored by {@code pairs}, with degree {@code m} and {@code efConstruction}, and writes it
   * into {@code dir} (created if absent). {@code dimension} is what jvector records for the graph.
   */
  static void build(Path dir, long segmentId, int rowCount, int[] present, int dimension,
      RowPairs pairs, int m, int efConstruction) throws IOException {
    build(dir, segmentId, rowCount, present, dimension,
        (RowScores) row -> other -> pairs.similarity(row, other), m, efConstruction);
  }

  /** As above, scored by {@code scores}: each row's scorer made once per graph insertion. */
  static void build(Path dir, long segmentId, int rowCount, int[] present, int dimension,
      RowScores scores, int m, int efConstruction) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(GRAPH_FILE + ".tmp");
    List<Integer> degrees = HnswIndex.maxDegrees(m);
    BuildScoreProvider scoring = scoring(scores, present);
    try (GraphIndexBuilder builder = new GraphIndexBuilder(scoring, dimension, degrees,
        efConstruction, NEIGHBOR_OVERFLOW, ALPHA, true, true)) {
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
    new SegmentManifest(segmentId, rowCount, 0, 0, List.of(FileInfo.of(dir, GRAPH_FILE)))
        .write(dir);
  }

  /**
   * Opens the graph in {@code dir} after verifying its files against the manifest and its row
   * count against the segment's {@code rowCount}.
   */
  static RowGraph load(Path dir, int rowCount) throws IOException {
    SegmentManifest manifest = SegmentManifest.read(dir);
    if (manifest.file(GRAPH_FILE).isEmpty()) {
      throw new CorruptSegmentException(dir.resolve(SegmentManifest.FILE_NAME),
          "the index manifest lists no " + GRAPH_FILE);
    }
    if (manifest.rowCount() != rowCount) {
      throw new CorruptSegmentException(dir.resolve(SegmentManifest.FILE_NAME),
          "the index has " + manifest.rowCount() + " rows, the segment " + rowCount);
    }
    ReaderSupplier reader = ReaderSupplierFactory.open(dir.resolve(GRAPH_FILE));
    try {
      return new RowGraph(reader, OnDiskGraphIndex.load(reader));
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** Nodes in the graph. */
  int size() {
    return graph.size(0);
  }

  /**
   * The rows best by {@code score} among those {@code accept} lets through (null: all), best
   * first, at most {@code topK}; {@code ef} (raised to topK) is the width of the search.
   */
  int[] search(RowScore score, int topK, int ef, IntPredicate accept) {
    if (graph.size(0) == 0) {
      return new int[0];
    }
    GraphSearcher searcher = searchers.poll();
    if (searcher == null) {
      searcher = new GraphSearcher(graph);
    }
    try {
      Bits bits = accept == null ? Bits.ALL : accept::test;
      ScoreFunction.ExactScoreFunction exact = score::similarity;
      SearchResult result = searcher.search(new DefaultSearchScoreProvider(exact), topK,
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
