package org.quiver.storage.index;

import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.RandomAccessReader;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.disk.SimpleWriter;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndexWriter;
import io.github.jbellis.jvector.graph.disk.feature.Feature;
import io.github.jbellis.jvector.graph.disk.feature.FeatureId;
import io.github.jbellis.jvector.graph.disk.feature.InlineVectors;
import io.github.jbellis.jvector.graph.disk.feature.SeparatedVectors;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.quantization.BQVectors;
import io.github.jbellis.jvector.quantization.BinaryQuantization;
import io.github.jbellis.jvector.quantization.CompressedVectors;
import io.github.jbellis.jvector.quantization.NVQVectors;
import io.github.jbellis.jvector.quantization.NVQuantization;
import io.github.jbellis.jvector.quantization.PQVectors;
import io.github.jbellis.jvector.quantization.ProductQuantization;
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

/**
 * An HNSW graph over the vectors of one sealed segment, built with jvector and kept on disk in
 * jvector's format (adjacency lists, then the vectors apart from them), memory-mapped for search.
 *
 * <p>Files: {@value #GRAPH_FILE} and a {@link SegmentManifest} listing it with its size and
 * CRC32C, written last; {@link #load} verifies both before mapping the graph. Node {@code i} is row
 * {@code i} of the segment. Searches are thread-safe (each borrows a searcher from a pool);
 * {@link #close} must not run concurrently with a search.
 */
public final class HnswIndex implements VectorIndex {
  /**
   * HNSW's format: the graph written by jvector, scored against the segment's vectors; by L1,
   * which jvector has no function for, an {@link L1HnswIndex}.
   */
  public static final IndexFormat FORMAT = new IndexFormat() {
    @Override
    public IndexMethod method() {
      return IndexMethod.HNSW;
    }

    @Override
    public Writer writer() {
      return (dir, segmentId, vectors, dim, count, params) -> {
        if (params.metric() == IndexMetric.L1) {
          L1HnswIndex.build(dir, segmentId, vectors, dim, count, params);
        } else {
          build(dir, segmentId, vectors, dim, count, params);
        }
      };
    }

    @Override
    public Reader reader() {
      return (dir, metric, rows) -> metric == IndexMetric.L1 ? L1HnswIndex.load(dir, rows)
          : load(dir, metric, rows);
    }
  };

  public static final String GRAPH_FILE = "graph.jvector";
  /** The product-quantization codes of every row, in jvector's format, when the index has them. */
  public static final String PQ_CODES_FILE = "pq.jvector";
  /**
   * The binary codes of every row when the index has them: the mean the rows were centred on
   * ({@code dim} float32, big-endian as jvector writes), then jvector's binary codes.
   */
  public static final String BINARY_CODES_FILE = "bq.jvector";
  /** The NVQ codes of every row when the index has them, with their quantizer, jvector's format. */
  public static final String NVQ_CODES_FILE = "nvq.jvector";
  /** Centroids per sub-space of a product quantizer: one byte per sub-space and vector. */
  private static final int PQ_CENTROIDS = 256;
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
  /**
   * The segment's vectors, which candidates are scored against where they lie (mapped from the
   * segment's data file, or the rows of a segment in memory), with Quiver's kernels; null: score
   * with the copies inline in the graph file, through jvector.
   */
  private final SegmentVectors scoring;
  /** The codes the search steers by, and so how {@link #codes} are to be read. */
  private final Quantization quantization;
  /**
   * The rows' codes (product-quantization, binary or NVQ), on the heap, which steer the search;
   * the best candidates are then re-ranked against the full vectors. Null: no quantization.
   */
  private final CompressedVectors codes;
  /** Binary codes: the mean the rows were centred on before their signs were taken; else null. */
  private final float[] centre;

  private HnswIndex(ReaderSupplier reader, OnDiskGraphIndex graph, IndexMetric metric,
      SegmentVectors scoring, Quantization quantization, CompressedVectors codes,
      float[] centre) {
    this.reader = reader;
    this.graph = graph;
    this.metric = metric;
    this.scoring = scoring;
    this.quantization = quantization;
    this.codes = codes;
    this.centre = centre;
  }

  /** jvector's view of vectors stored row after row: one array per row, copied once. */
  private static RandomAccessVectorValues heap(float[] vectors, int dim, int count) {
    List<VectorFloat<?>> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(VECTORS.createFloatVector(
          java.util.Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim)));
    }
    return new ListRandomAccessVectorValues(rows, dim);
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
    build(dir, segmentId, vectors, dim, count,
        new IndexParams(metric, m, efConstruction, 0, 0, segmentId));
  }

  /**
   * Builds the graph as above with {@code params}' metric, m and ef_construction and, with a
   * {@link Quantization}, writes every row's code beside the graph: a product quantizer of
   * {@code params.subQuantizers(dim)} sub-spaces trained on the vectors, binary codes, or NVQ
   * codes of {@link Quantization#nvqSubvectors} sub-vectors.
   */
  public static void build(Path dir, long segmentId, float[] vectors, int dim, int count,
      IndexParams params) throws IOException {
    IndexMetric metric = params.metric();
    if (!IndexMetric.CODED_METRICS.contains(metric)) {
      throw new IllegalArgumentException("jvector's graph of float vectors takes l2, ip or cosine, "
          + "not " + metric + " (an L1 graph is an L1HnswIndex)");
    }
    int m = params.m();
    int efConstruction = params.efConstruction();
    // Rows whose vector is NULL, and by cosine rows of zeros (see IndexMetric.indexedRows), get
    // no node: the graph is built over the others, then written with each node at its row's
    // ordinal, so node i stays row i and a row left out is a hole no edge leads to.
    int[] present = metric.indexedRows(vectors, dim, count);
    RandomAccessVectorValues values = present.length == count ? heap(vectors, dim, count)
        : heap(NullVectors.gather(vectors, dim, present), dim, present.length);
    Files.createDirectories(dir);
    Path tmp = dir.resolve(GRAPH_FILE + ".tmp");
    try (GraphIndexBuilder builder = builder(values, metric.similarity(), m, efConstruction)) {
      ImmutableGraphIndex built = builder.build(values);
      Map<Integer, Integer> nodeToRow = new HashMap<>();
      for (int node = 0; node < present.length; node++) {
        nodeToRow.put(node, present[node]);
      }
      // The vectors go after the adjacency lists, not inline in each node's record: a search
      // scores against the segment's own vectors (or codes), so the pages it walks hold
      // neighbours only, a quarter of an inline record's bytes at 128 dimensions and m = 16.
      try (OnDiskGraphIndexWriter writer = new OnDiskGraphIndexWriter.Builder(built, tmp)
          .withMap(nodeToRow)
          .with(new SeparatedVectors(dim, 0L))
          .build()) {
        RandomAccessVectorValues graphValues = values;
        writer.write(Feature.singleStateFactory(FeatureId.SEPARATED_VECTORS,
            node -> new InlineVectors.State(graphValues.getVector(node))));
      }
    }
    Files.move(tmp, dir.resolve(GRAPH_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    List<FileInfo> files = new ArrayList<>(List.of(FileInfo.of(dir, GRAPH_FILE)));
    if (params.quantization() == Quantization.PQ && present.length > 0) {
      writeCodes(dir, values, present.length == count ? values : byRow(dim, count, present,
          row -> java.util.Arrays.copyOfRange(vectors, row * dim, (row + 1) * dim)), metric,
          params.subQuantizers(dim));
      files.add(FileInfo.of(dir, PQ_CODES_FILE));
    }
    if (params.quantization() == Quantization.BINARY && present.length > 0) {
      writeBinaryCodes(dir, vectors, dim, count, present);
      files.add(FileInfo.of(dir, BINARY_CODES_FILE));
    }
    if (params.quantization() == Quantization.NVQ && present.length > 0) {
      writeNvqCodes(dir, values, present.length == count ? values : byRow(dim, count, present,
          row -> java.util.Arrays.copyOfRange(vectors, row * dim, (row + 1) * dim)));
      files.add(FileInfo.of(dir, NVQ_CODES_FILE));
    }
    new SegmentManifest(segmentId, count, 0, 0, files).write(dir);
  }

  /**
   * Trains jvector's product quantizer on {@code training} (the rows with a vector) and writes the
   * code of every row of {@code rows}, by row number, to {@link #PQ_CODES_FILE}. Euclidean vectors
   * are centred on their mean first, as jvector advises; inner products and cosines are not.
   */
  private static void writeCodes(Path dir, RandomAccessVectorValues training,
      RandomAccessVectorValues rows, IndexMetric metric, int subQuantizers) throws IOException {
    ProductQuantization pq = ProductQuantization.compute(training, subQuantizers,
        Math.min(PQ_CENTROIDS, training.size()), metric == IndexMetric.L2);
    PQVectors codes = (PQVectors) pq.encodeAll(rows);
    Path tmp = dir.resolve(PQ_CODES_FILE + ".tmp");
    try (SimpleWriter out = new SimpleWriter(tmp)) {
      codes.write(out);
    }
    Files.move(tmp, dir.resolve(PQ_CODES_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Fits jvector's NVQ to {@code training} (the rows with a vector: their mean, and each
   * sub-vector's curve as the codes are taken) and writes the code of every row of {@code rows},
   * by row number, with the quantizer, to {@link #NVQ_CODES_FILE}. NVQ codes any metric alike.
   */
  private static void writeNvqCodes(Path dir, RandomAccessVectorValues training,
      RandomAccessVectorValues rows) throws IOException {
    NVQuantization nvq = NVQuantization.compute(training,
        Quantization.nvqSubvectors(training.dimension()));
    CompressedVectors codes = nvq.encodeAll(rows);
    Path tmp = dir.resolve(NVQ_CODES_FILE + ".tmp");
    try (SimpleWriter out = new SimpleWriter(tmp)) {
      codes.write(out);
    }
    Files.move(tmp, dir.resolve(NVQ_CODES_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Writes {@link #BINARY_CODES_FILE}: the mean of the rows with a vector, then every row's
   * binary code of its vector less the mean (jvector takes signs as they are, and an uncentred
   * set, all of whose values are positive, would code to all ones). A row left out (NULL, or of
   * zeros by cosine) codes as zeros.
   */
  private static void writeBinaryCodes(Path dir, float[] vectors, int dim, int count,
      int[] present) throws IOException {
    float[] mean = new float[dim];
    for (int row : present) {
      for (int d = 0; d < dim; d++) {
        mean[d] += vectors[row * dim + d];
      }
    }
    for (int d = 0; d < dim; d++) {
      mean[d] /= present.length;
    }
    RandomAccessVectorValues rows = byRow(dim, count, present, row -> {
      float[] x = new float[dim];
      for (int d = 0; d < dim; d++) {
        x[d] = vectors[row * dim + d] - mean[d];
      }
      return x;
    });
    CompressedVectors codes = new BinaryQuantization(dim).encodeAll(rows);
    Path tmp = dir.resolve(BINARY_CODES_FILE + ".tmp");
    try (SimpleWriter out = new SimpleWriter(tmp)) {
      for (float m : mean) {
        out.writeFloat(m);
      }
      codes.write(out);
    }
    Files.move(tmp, dir.resolve(BINARY_CODES_FILE),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * {@code count} vectors by row number, for codes kept by row: {@code vector} of each row in
   * {@code present}, zeros for a row left out (it has no node, so its code is never read).
   */
  private static RandomAccessVectorValues byRow(int dim, int count, int[] present,
      IntFunction<float[]> vector) {
    List<VectorFloat<?>> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(VECTORS.createFloatVector(new float[dim]));
    }
    for (int row : present) {
      rows.set(row, VECTORS.createFloatVector(vector.apply(row)));
    }
    return new ListRandomAccessVectorValues(rows, dim);
  }

  /**
   * Opens the index in {@code dir} after verifying its files against the manifest; candidates are
   * scored against the vectors inline in the graph file.
   */
  public static HnswIndex load(Path dir, IndexMetric metric) throws IOException {
    return load(dir, metric, null);
  }

  /**
   * Opens the index and scores candidates against {@code vectors}, the segment's own (null: the
   * copies in the graph file). Nothing is copied: for a sealed segment they are its mapped data
   * file, read in place by the same kernels as the exact scan, so the index adds no heap per
   * vector (an earlier version kept a heap copy of every vector for scoring, 512 bytes of heap
   * per 128-d vector).
   */
  public static HnswIndex load(Path dir, IndexMetric metric, SegmentVectors vectors)
      throws IOException {
    SegmentManifest manifest = SegmentManifest.read(dir);
    if (manifest.file(GRAPH_FILE).isEmpty()) {
      throw new CorruptSegmentException(dir.resolve(SegmentManifest.FILE_NAME),
          "the index manifest lists no " + GRAPH_FILE);
    }
    ReaderSupplier reader = ReaderSupplierFactory.open(dir.resolve(GRAPH_FILE));
    try {
      OnDiskGraphIndex graph = OnDiskGraphIndex.load(reader);
      CompressedVectors codes = null;
      float[] centre = null;
      Quantization quantization = Quantization.NONE;
      if (manifest.file(PQ_CODES_FILE).isPresent()) {
        try (ReaderSupplier codesFile = ReaderSupplierFactory.open(dir.resolve(PQ_CODES_FILE));
            RandomAccessReader in = codesFile.get()) {
          codes = PQVectors.load(in);
          quantization = Quantization.PQ;
        }
      } else if (manifest.file(NVQ_CODES_FILE).isPresent()) {
        try (ReaderSupplier codesFile = ReaderSupplierFactory.open(dir.resolve(NVQ_CODES_FILE));
            RandomAccessReader in = codesFile.get()) {
          codes = NVQVectors.load(in);
          quantization = Quantization.NVQ;
        }
      } else if (manifest.file(BINARY_CODES_FILE).isPresent()) {
        try (ReaderSupplier codesFile =
                ReaderSupplierFactory.open(dir.resolve(BINARY_CODES_FILE));
            RandomAccessReader in = codesFile.get()) {
          centre = new float[graph.getDimension()];
          in.read(centre, 0, centre.length);
          codes = BQVectors.load(in, (long) centre.length * Float.BYTES);
          quantization = Quantization.BINARY;
        }
      }
      return new HnswIndex(reader, graph, metric, vectors, quantization, codes, centre);
    } catch (IOException | RuntimeException e) {
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
    return search(query, topK, params.ef(), params.rerank(), accept);
  }

  /**
   * The codes and codebooks of a quantized index; none for the vectors themselves, which are
   * read where they lie, nor for the graph, which is mapped.
   */
  @Override
  public long heapBytes() {
    return codes == null ? 0
        : codes.ramBytesUsed() + (centre == null ? 0 : (long) centre.length * Float.BYTES);
  }

  /** The quantization the search steers by. */
  public Quantization quantization() {
    return quantization;
  }

  /**
   * The rows nearest to {@code query} among those {@code accept} lets through, best first, at most
   * {@code topK}; {@code ef} (>= topK) is the width of the search. With codes, the search ranks
   * candidates by their codes and re-ranks its best {@code ef} against the full vectors.
   */
  public int[] search(float[] query, int topK, int ef, IntPredicate accept) {
    return search(query, topK, ef, 0, accept);
  }

  /**
   * As {@link #search(float[], int, int, IntPredicate)}, with codes re-ranking only the best
   * {@code rerank} candidates by their codes (0, or more than ef: all ef; at least topK): each
   * re-ranked candidate reads its full vector from the segment, a page of the mapped file at
   * hundreds of dimensions, so a search as wide as recall needs can read far fewer of them.
   */
  public int[] search(float[] query, int topK, int ef, int rerank, IntPredicate accept) {
    int width = Math.max(ef, topK);
    int depth = rerank <= 0 ? width : Math.min(width, Math.max(rerank, topK));
    GraphSearcher searcher = searchers.poll();
    if (searcher == null) {
      searcher = new GraphSearcher(graph);
    }
    try {
      Bits bits = accept == null ? Bits.ALL : accept::test;
      if (codes != null && depth < width && !metric.hasNoDirection(query)) {
        return shortlistReranked(query, topK, width, depth, searcher, bits);
      }
      SearchResult result = searcher.search(scoreProvider(query, searcher), topK, width, 0.0f,
          0.0f, bits);
      return rows(result.getNodes());
    } finally {
      searchers.add(searcher);
    }
  }

  /**
   * A search of {@code width} by the codes alone (jvector returns its best {@code depth} when
   * given no re-ranker), then those re-ranked against the full vectors, best {@code topK} kept.
   */
  private int[] shortlistReranked(float[] query, int topK, int width, int depth,
      GraphSearcher searcher, Bits bits) {
    DefaultSearchScoreProvider provider = scoreProvider(query, searcher);
    SearchResult shortlist = searcher.search(
        new DefaultSearchScoreProvider(provider.scoreFunction()), depth, width, 0.0f, 0.0f, bits);
    ScoreFunction.ExactScoreFunction exact = provider.reranker();
    SearchResult.NodeScore[] nodes = shortlist.getNodes();
    SearchResult.NodeScore[] rescored = new SearchResult.NodeScore[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      rescored[i] = new SearchResult.NodeScore(nodes[i].node, exact.similarityTo(nodes[i].node));
    }
    // Higher similarity is nearer; ties keep the codes' order.
    java.util.Arrays.sort(rescored, (a, b) -> Float.compare(b.score, a.score));
    return rows(java.util.Arrays.copyOf(rescored, Math.min(topK, rescored.length)));
  }

  private static int[] rows(SearchResult.NodeScore[] nodes) {
    int[] rows = new int[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      rows[i] = nodes[i].node;
    }
    return rows;
  }

  /**
   * How the search scores a candidate: against the segment's vectors with Quiver's kernels, on
   * the scale of jvector's own similarity (see {@link IndexMetric#similarity(float)}), or else
   * through jvector against the graph file's copies.
   */
  private DefaultSearchScoreProvider scoreProvider(float[] query, GraphSearcher searcher) {
    if (metric.hasNoDirection(query)) {
      // A cosine query of zeros is at distance 1 from every row (VectorKernels#cosineDistance),
      // so every node scores alike and the search returns the first k it reaches. jvector's
      // cosine, and its codes' (which divide by the query's norm), would give NaN instead.
      float tie = metric.similarity(1f);
      ScoreFunction.ExactScoreFunction same = node -> tie;
      return new DefaultSearchScoreProvider(same);
    }
    ScoreFunction.ExactScoreFunction exact;
    if (scoring == null) {
      exact = DefaultSearchScoreProvider.exact(VECTORS.createFloatVector(query),
          metric.similarity(), (RandomAccessVectorValues) searcher.getView()).exactScoreFunction();
    } else {
      // One scorer per search: a float16 segment's decodes candidates into an array of its own.
      SegmentVectors.Scorer scorer = scoring.scorer(metric, query);
      IndexMetric m = metric;
      exact = node -> m.similarity(scorer.distance(node));
    }
    if (codes == null) {
      return new DefaultSearchScoreProvider(exact);
    }
    float[] coded = query;
    if (centre != null) {
      // Binary codes are of the rows less their mean: the query is taken the same way.
      coded = query.clone();
      for (int d = 0; d < coded.length; d++) {
        coded[d] -= centre[d];
      }
    }
    return new DefaultSearchScoreProvider(
        codes.precomputedScoreFunctionFor(VECTORS.createFloatVector(coded), metric.similarity()),
        exact);
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
