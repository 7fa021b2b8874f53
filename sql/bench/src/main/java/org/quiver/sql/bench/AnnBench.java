package org.quiver.sql.bench;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.request.CompactRequest;
import org.quiver.engine.api.request.CreateIndexRequest;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.FlushRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.fixtures.Batches;
import org.quiver.storage.FileTrees;
import org.quiver.storage.column.Int64Column;
import org.quiver.storage.index.GraphVectors;
import org.quiver.storage.index.HnswIndex;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code quiver bench ann}: a sweep of one index method through several doors in one JVM, so that
 * the engine's overhead is a measured ratio: {@code engine} (the engine's API, Quiver's index on
 * every sealed segment), {@code embedded} and {@code remote} (SQL through JDBC, {@code SET
 * ef_search} or {@code SET nprobe}) and, for HNSW, {@code jvector} (the raw library, same graph
 * parameters, no database). {@code --method hnsw} sweeps {@code --ef}; {@code ivf_flat} and
 * {@code ivf_pq} sweep {@code --nprobe} with {@code --nlist} lists (and {@code --pq-m} bytes per
 * code). With {@code --selectivity 0.01,0.1,0.5} each point is also run with a filter that this
 * share of the rows passes ({@code cat = id % 100}), against the filtered exact answer.
 * {@code --plot f.png} draws recall against QPS, a line per door and filter. With
 * {@code --shared-graph}, each SQL door is measured together with {@code jvector-same-graph}, raw
 * jvector searching the very graph file that door built, their passes over the queries in turn.
 * The {@code pgvector} door runs the same sweep
 * against PostgreSQL with pgvector ({@code --pgvector-url}, default a local server as user
 * postgres), the same table, the same graph parameters and filters, through PostgreSQL's own JDBC
 * driver, so that Quiver's doors and pgvector's are compared in one run on one machine.
 *
 * <p>One CSV row per door and width: QPS, recall@10, p50/p99 latency, rows returned, build time;
 * then one {@code ann-at-recall} row per door with its QPS at {@code --at-recall} (0.95 by
 * default), interpolated between the widths around it;
 * and one {@code memory} row per door: heap and resident bytes per vector after the build (and
 * the index's own heap bytes per vector where the door can tell). Progress bars on stderr.
 * {@code --overhead} measures instead the per-query cost of the SQL path (see {@link #overhead}).
 */
@Command(name = "ann", description = "A sweep of one index method through several doors in one "
    + "JVM: QPS, recall@10 and latency per width, QPS at a recall, memory per vector.")
public final class AnnBench implements Callable<Integer> {
  /** Where the pgvector door looks when no {@code --pgvector-url} is given. */
  private static final String PGVECTOR_URL =
      "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=postgres";

  @Mixin
  private DatasetOptions dataset;

  @Option(names = "--method", paramLabel = "hnsw|ivf_flat|ivf_pq|ivf_sq8", defaultValue = "hnsw",
      converter = SweptMethod.class, description = "the index method")
  private IndexMethod method;

  @Option(names = "--doors", paramLabel = "DOOR", split = ",",
      description = "engine, embedded, remote, remote-http, jvector (HNSW only), pgvector "
          + "(default: jvector,engine for hnsw, engine for IVF)")
  private List<String> doors;

  @Option(names = "--m", paramLabel = "N", defaultValue = "16", description = "HNSW: graph degree")
  private int m;

  @Option(names = "--ef-construction", paramLabel = "N", defaultValue = "100",
      description = "HNSW: build beam width")
  private int efConstruction;

  @Option(names = "--ef", paramLabel = "N", split = ",", defaultValue = "10,20,40,80,160",
      description = "HNSW: the search widths swept")
  private int[] ef;

  @Option(names = "--nlist", paramLabel = "N",
      description = "IVF: lists per segment (default: the square root of the rows)")
  private Integer nlist;

  @Option(names = "--pq-m", paramLabel = "N",
      description = "IVF_PQ, HNSW with --quantization pq: bytes per code (default: a quarter of "
          + "the dimension)")
  private Integer pqM;

  @Option(names = "--quantization", paramLabel = "none|pq|binary|nvq", defaultValue = "none",
      converter = QuantizationName.class,
      description = "HNSW: the codes the engine's graph search steers by, re-ranked against the "
          + "full vectors (raw jvector keeps full vectors either way)")
  private Quantization quantization;

  @Option(names = "--element", paramLabel = "float32|float16", defaultValue = "float32",
      description = "the engine's and SQL doors' column type: VECTOR(n) (float32) or HALFVEC(n) "
          + "(float16; recall is still against the float32 truth)")
  private String element;

  @Option(names = "--rerank", paramLabel = "N", defaultValue = "0",
      description = "HNSW with --quantization: the candidates, best by their codes, re-ranked "
          + "against the full vectors (0: all ef; ef is at least this)")
  private int rerank;

  @Option(names = "--nprobe", paramLabel = "N", split = ",", defaultValue = "1,2,4,8,16,32",
      description = "IVF: the lists probed, swept")
  private int[] nprobe;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
      description = "measuring time per point (after as long a warm-up)")
  private double seconds;

  @Option(names = "--selectivity", paramLabel = "F", split = ",", defaultValue = "1",
      description = "shares of the rows a filter lets through (cat = id %% 100), each swept; 1: no "
          + "filter")
  private double[] selectivity;

  /**
   * {@code --shared-graph}: after an SQL door's sweep, raw jvector also searches the graph that
   * door built (its file, loaded with jvector's own API), so the two doors differ only in the
   * path to the same graph, not in the luck of two concurrent builds.
   */
  @Option(names = "--shared-graph", description = "HNSW: raw jvector also searches the graph "
      + "each SQL door built (door jvector-same-graph)")
  private boolean sharedGraph;

  /**
   * {@code --at-recall r}: after the sweeps, one {@code ann-at-recall} row per door and filter
   * with its QPS at recall r, interpolated between the two widths around it, so that doors whose
   * widths give different recalls are compared at the same recall.
   */
  @Option(names = "--at-recall", paramLabel = "R", defaultValue = "0.95",
      description = "the recall of the ann-at-recall rows")
  private double atRecall;

  @Option(names = "--overhead", description = "HNSW: instead of the sweep, the per-query cost "
      + "of a prepared search through embedded JDBC against the engine's API")
  private boolean overhead;

  @Option(names = "--plot", paramLabel = "FILE", description = "draws recall against QPS (PNG)")
  private Path plotFile;

  @Option(names = "--pgvector-url", paramLabel = "JDBC_URL", defaultValue = PGVECTOR_URL,
      description = "the PostgreSQL of the pgvector door")
  private String pgvectorUrl;

  private Bench.Dataset data;
  /** The sweep: ef for HNSW, nprobe for IVF. */
  private int[] widths;
  /** Filters to sweep: rows with {@code cat < catBelow} pass, where {@code cat = id % 100}. */
  private int[] catBelow;
  private int[][][] truths;
  private RecallPlot plot;
  /**
   * Where the door being swept keeps its files (the engine's data directory), whose mapped pages
   * each point of its sweep measures as it touches them ({@link WorkingSet}); null: not measured.
   */
  private Path mappedRoot;
  /** The heap bytes of the index being swept, beside the pages it touches; -1: unknown. */
  private long sweptIndexHeapBytes = -1;
  /** The measured points of each door and filter, in sweep order. */
  private final java.util.Map<String, List<double[]>> points = new java.util.LinkedHashMap<>();

  /** An index method that {@code ann} can sweep: any but FLAT. */
  static final class SweptMethod implements CommandLine.ITypeConverter<IndexMethod> {
    @Override
    public IndexMethod convert(String value) {
      IndexMethod method = IndexMethod.ofName(value);
      if (method == null || method == IndexMethod.FLAT) {
        throw new CommandLine.TypeConversionException(
            "unknown index method '" + value + "': expected hnsw, ivf_flat, ivf_pq or ivf_sq8");
      }
      return method;
    }
  }

  /** A quantization by its SQL name. */
  static final class QuantizationName implements CommandLine.ITypeConverter<Quantization> {
    @Override
    public Quantization convert(String value) {
      Quantization q = Quantization.ofSqlName(value);
      if (q == null) {
        throw new CommandLine.TypeConversionException("unknown quantization '" + value
            + "': expected one of " + Quantization.sqlNames());
      }
      return q;
    }
  }

  /** Loads the dataset and works out what the options left to it. */
  private void prepare() throws java.io.IOException {
    data = dataset.load();
    int dim = data.base()[0].length;
    if (nlist == null) {
      nlist = Math.max(1, (int) Math.round(Math.sqrt(data.base().length)));
    }
    if (pqM == null) {
      pqM = Math.max(1, dim / 4);
    }
    widths = method == IndexMethod.HNSW ? ef : nprobe;
    catBelow = Arrays.stream(selectivity).mapToInt(x -> (int) Math.round(x * 100)).toArray();
    sharedGraph &= method == IndexMethod.HNSW;
    if (doors == null) {
      doors = method == IndexMethod.HNSW ? List.of("jvector", "engine") : List.of("engine");
    }
    plot = new RecallPlot(data.name() + ": " + method + " " + buildParams() + ", one client");
    truths = new int[catBelow.length][][];
    for (int i = 0; i < catBelow.length; i++) {
      truths[i] = catBelow[i] >= 100 ? topTen(data.truth()) : filteredTruth(catBelow[i]);
    }
  }

  /** The quantization of the engine's HNSW index. */
  private Quantization quantizationOption() {
    return method != IndexMethod.HNSW ? Quantization.NONE : quantization;
  }

  private boolean quantized() {
    return quantizationOption() != Quantization.NONE;
  }

  /** The quantization options of an HNSW index's CREATE INDEX, from its first comma. */
  private String quantizationSql() {
    Quantization q = quantizationOption();
    return q == Quantization.NONE ? "" : ", quantization = '" + q.sqlName() + "'"
        + (q == Quantization.PQ ? ", pq_m = " + pqM : "")
        + (rerank > 0 ? ", rerank = " + rerank : "");
  }

  /** The build parameters as the CSV and the plot show them. */
  private String buildParams() {
    return switch (method) {
      case HNSW -> "m=" + m + " ef_construction=" + efConstruction + (quantized()
          ? " quantization=" + quantizationOption().sqlName()
              + (quantizationOption() == Quantization.PQ ? " pq_m=" + pqM : "")
              + (rerank > 0 ? " rerank=" + rerank : "") : "");
      case IVF_FLAT -> "nlist=" + nlist;
      case IVF_PQ -> "nlist=" + nlist + " m=" + pqM;
      case IVF_SQ8 -> "nlist=" + nlist;
      case FLAT -> "";
    };
  }

  /** The name of the swept search parameter. */
  private String widthName() {
    return method == IndexMethod.HNSW ? "ef" : "nprobe";
  }

  /** The first ten of each ground-truth row (the files hold 100 neighbours per query). */
  private static int[][] topTen(int[][] truth) {
    int[][] ten = new int[truth.length][];
    for (int q = 0; q < truth.length; q++) {
      ten[q] = Arrays.copyOf(truth[q], 10);
    }
    return ten;
  }

  /** Exact top-10 among the rows the filter lets through, by brute force. */
  private int[][] filteredTruth(int below) {
    int dim = data.base()[0].length;
    int[][] truth = new int[data.queries().length][];
    ProgressBar bar =
        ProgressBars.start("filtered ground truth (cat<" + below + ")", truth.length);
    for (int q = 0; q < truth.length; q++) {
      bar.stepTo(q);
      float[] query = data.queries()[q];
      truth[q] = java.util.stream.IntStream.range(0, data.base().length)
          .filter(id -> id % 100 < below)
          .boxed()
          .sorted(java.util.Comparator.comparingDouble(
              id -> org.quiver.storage.vector.VectorKernels.l2Squared(query, data.base()[id], 0, dim)))
          .limit(10).mapToInt(Integer::intValue).toArray();
    }
    ProgressBars.finish(bar);
    return truth;
  }

  @Override
  public Integer call() throws Exception {
    prepare();
    if (overhead) {
      overhead();
      return 0;
    }
    System.out.println(Bench.HEADER);
    // Quiver's driver over its channel and over HTTP: one server, one index, measured in turn.
    List<String> transports = doors.stream()
        .filter(d -> d.equals("remote") || d.equals("remote-http")).toList();
    for (String door : doors) {
      switch (door) {
        case "engine" -> engine();
        case "jvector" -> {
          if (method != IndexMethod.HNSW) {
            throw new IllegalArgumentException("the jvector door is HNSW only");
          }
          jvector();
        }
        case "embedded" -> jdbc(List.of(door));
        case "remote", "remote-http" -> {
          if (door.equals(transports.get(0))) {
            jdbc(transports);
          }
        }
        case "pgvector" -> {
          if (method == IndexMethod.IVF_PQ || method == IndexMethod.IVF_SQ8) {
            throw new IllegalArgumentException("pgvector has no " + method + " index");
          }
          pgvector(pgvectorUrl);
        }
        default -> throw new IllegalArgumentException(
            "unknown door " + door
                + "; use engine, embedded, remote, remote-http, jvector, pgvector");
      }
    }
    printAtRecall();
    if (plotFile != null) {
      plot.write(plotFile);
      System.err.println("  plot written to " + plotFile);
    }
    return 0;
  }

  /**
   * The per-query cost of the SQL path: one prepared k-NN statement through embedded JDBC,
   * re-executed with each new query vector, against the same search through the engine's API on
   * the same engine, query by query in turn (so that the load of a shared machine falls on both
   * alike). Prints the QPS of each and their ratio per ef.
   */
  private void overhead() throws Exception {
    Path dir = Files.createTempDirectory("quiver-overhead-");
    String location = "file:" + dir;
    if (method != IndexMethod.HNSW) {
      throw new IllegalArgumentException("--overhead measures HNSW searches");
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:quiver:" + location);
        org.quiver.sql.jdbc.EngineRegistry.Handle handle =
            org.quiver.sql.jdbc.EngineRegistry.acquire(location);
        java.sql.Statement s = c.createStatement()) {
      loadForOverhead(c);
      java.sql.PreparedStatement search = c.prepareStatement(
          "SELECT id FROM bench ORDER BY v <-> ? LIMIT 10");
      Engine engine = handle.engine();
      for (int ef : widths) {
        s.execute("SET ef_search = " + ef);
        SearchOptions options = new SearchOptions(ef, false);
        long[] nanos = new long[2];
        long[] found = new long[2];
        for (int pass = 0; pass < 2; pass++) {
          boolean measured = pass == 1;
          long until = System.nanoTime() + (long) (seconds * 1e9);
          int runs = 0;
          while (System.nanoTime() < until || runs == 0) {
            for (int q = 0; q < data.queries().length; q++) {
              float[] query = data.queries()[q];
              // Each door goes first on every other query: the second search of a vector finds
              // the graph nodes it visits in the CPU caches.
              boolean engineFirst = q % 2 == 0;
              long t0 = System.nanoTime();
              int[] jdbcIds = engineFirst ? null : jdbcSearch(search, query);
              long t1 = System.nanoTime();
              ResultRows r = engine.search(new SearchRequest("bench", "v", query, IndexMetric.L2,
                  10, 0, null, List.of("id"), options), ReadOptions.DEFAULT);
              long t2 = System.nanoTime();
              if (engineFirst) {
                jdbcIds = jdbcSearch(search, query);
              }
              long t3 = System.nanoTime();
              if (measured) {
                nanos[0] += t2 - t1;
                nanos[1] += (t1 - t0) + (t3 - t2);
                found[0] += hits(ids(r), truths[0][q]);
                found[1] += hits(jdbcIds, truths[0][q]);
              }
            }
            runs++;
          }
          if (measured) {
            long queries = (long) runs * data.queries().length;
            double engineQps = queries / (nanos[0] / 1e9);
            double jdbcQps = queries / (nanos[1] / 1e9);
            System.out.println(String.format(Locale.ROOT, "prepared-search overhead,%s,hnsw m=%d "
                    + "ef=%d,engine API %.0f QPS (recall %.4f),embedded JDBC %.0f QPS (recall %.4f),"
                    + "ratio %.2f", data.name(), m, ef, engineQps, found[0] / (10.0 * queries),
                jdbcQps, found[1] / (10.0 * queries), jdbcQps / engineQps));
          }
        }
      }
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }

  /** One execution of the prepared search with a new vector; the ids it returns. */
  private static int[] jdbcSearch(java.sql.PreparedStatement search, float[] query)
      throws java.sql.SQLException {
    search.setObject(1, query);
    return topIds(search, 10);
  }

  /** Executes {@code p}, a search whose first column is the id; the (at most k) ids returned. */
  private static int[] topIds(java.sql.PreparedStatement p, int k) throws java.sql.SQLException {
    int[] ids = new int[k];
    int n = 0;
    try (java.sql.ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        ids[n++] = (int) rs.getLong(1);
      }
    }
    return Arrays.copyOf(ids, n);
  }

  private static int hits(int[] ids, int[] truth) {
    int found = 0;
    for (int id : ids) {
      for (int t : truth) {
        if (t == id) {
          found++;
          break;
        }
      }
    }
    return found;
  }

  /** Creates, fills and indexes (HNSW) the table through SQL, for {@link #overhead}. */
  private void loadForOverhead(java.sql.Connection c) throws Exception {
    try (java.sql.Statement s = c.createStatement()) {
      load(c, s);
      s.execute("CREATE INDEX bench_v ON bench USING HNSW (v) WITH (metric = 'l2', m = " + m
          + ", ef_construction = " + efConstruction + quantizationSql() + ")");
      awaitIndex(s, null);
    }
  }

  /**
   * Creates the table {@code bench (id, cat, v)} and fills it through SQL, 1,000 rows per JDBC
   * batch, then flushes and compacts it: segments seal at 64 MB, and merged into one, as after
   * any bulk load, its index is one graph like the raw library's (a no-op when the data fits one
   * segment).
   */
  private void load(java.sql.Connection c, java.sql.Statement s) throws Exception {
    s.execute("CREATE TABLE bench (id BIGINT PRIMARY KEY, cat INTEGER, v "
        + (vectorType() == DataType.FLOAT16_VECTOR ? "HALFVEC(" : "VECTOR(")
        + data.base()[0].length + "))");
    try (java.sql.PreparedStatement p = c.prepareStatement("INSERT INTO bench VALUES (?, ?, ?)")) {
      for (int i = 0; i < data.base().length; i++) {
        p.setLong(1, i);
        p.setInt(2, i % 100);
        p.setObject(3, data.base()[i]);
        p.addBatch();
        if ((i + 1) % 1000 == 0 || i == data.base().length - 1) {
          p.executeBatch();
        }
      }
    }
    s.execute("FLUSH TABLE bench");
    s.execute("COMPACT TABLE bench");
  }

  /** Waits until the table's index covers every row, showing progress on {@code bar} if given. */
  static void awaitIndex(java.sql.Statement s, ProgressBar bar) throws Exception {
    while (true) {
      try (java.sql.ResultSet rs = s.executeQuery("SELECT indexed_rows, total_rows FROM sys.indexes")) {
        rs.next();
        if (bar != null) {
          bar.stepTo(rs.getLong(1));
        }
        if (rs.getLong(1) == rs.getLong(2)) {
          return;
        }
      }
      Thread.sleep(5);
    }
  }

  /** Runs the queries until the time is up, after as long a warm-up; returns the figures. */
  private interface Searcher {
    /** The k nearest rows with {@code cat < catBelow} (100: no filter), at search width w. */
    int[] search(float[] query, int k, int width, int catBelow);
  }

  private void sweep(String door, double buildSeconds, Searcher searcher) {
    sweep(List.of(door), buildSeconds, List.of(searcher));
  }

  /** The sweep of doors measured together (see {@link #point}). */
  private void sweep(List<String> doors, double buildSeconds, List<Searcher> searchers) {
    ProgressBar bar = ProgressBars.start(String.join(" + ", doors) + " sweep",
        (long) catBelow.length * widths.length);
    int done = 0;
    for (int f = 0; f < catBelow.length; f++) {
      for (int width : widths) {
        bar.stepTo(done++);
        point(doors, buildSeconds, searchers, width, catBelow[f], truths[f]);
      }
    }
    ProgressBars.finish(bar);
  }

  /**
   * One point of the sweep, a CSV row per door: a warm-up, then whole passes over the queries
   * until each door has had about {@code seconds}. Several doors take their passes in turn (the
   * first door of a round changes from round to round), so that they share the machine's load
   * and the JIT's state alike; each door's QPS counts the time of its own passes.
   */
  private void point(List<String> doors, double buildSeconds, List<Searcher> searchers, int ef,
      int below, int[][] truth) {
    // ef is the sweep's width: HNSW's ef or IVF's nprobe.
    int d = doors.size();
    long warmUntil = System.nanoTime() + (long) (seconds * d * 1e9);
    while (System.nanoTime() < warmUntil) {
      for (Searcher searcher : searchers) {
        for (float[] q : data.queries()) {
          searcher.search(q, 10, ef, below);
        }
      }
    }
    List<List<Long>> latencies = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      latencies.add(new ArrayList<>());
    }
    long[] found = new long[d];
    long[] rows = new long[d];
    long[] nanos = new long[d];
    // After the warm-up, so the pages counted are those the timed passes read, not the load's.
    boolean workingSet = mappedRoot != null && d == 1 && WorkingSet.mark();
    long until = System.nanoTime() + (long) (seconds * d * 1e9);
    int runs = 0;
    while (System.nanoTime() < until || runs == 0) {
      for (int turn = 0; turn < d; turn++) {
        int i = (runs + turn) % d;
        Searcher searcher = searchers.get(i);
        long passStart = System.nanoTime();
        for (int q = 0; q < data.queries().length; q++) {
          long t0 = System.nanoTime();
          int[] ids = searcher.search(data.queries()[q], 10, ef, below);
          latencies.get(i).add(System.nanoTime() - t0);
          rows[i] += ids.length;
          for (int id : ids) {
            for (int t : truth[q]) {
              if (t == id) {
                found[i]++;
                break;
              }
            }
          }
        }
        nanos[i] += System.nanoTime() - passStart;
      }
      runs++;
    }
    String filter = below >= 100 ? "" : " filter=cat<" + below + " (" + below + "%)";
    if (workingSet) {
      long touched = WorkingSet.touchedUnder(mappedRoot);
      // Then, after the timed passes so their speed is not a cold cache's: the pages one pass of
      // the queries reads from a cold cache without read-ahead.
      long readCold = -1;
      if (WorkingSet.coldStart(mappedRoot)) {
        for (float[] q : data.queries()) {
          searchers.get(0).search(q, 10, ef, below);
        }
        readCold = WorkingSet.residentUnder(mappedRoot);
      }
      workingSetRow(doors.get(0), " " + widthName() + "=" + ef + filter, touched, readCold);
    }
    for (int i = 0; i < d; i++) {
      List<Long> sorted = latencies.get(i);
      sorted.sort(null);
      int n = sorted.size();
      double elapsed = nanos[i] / 1e9;
      System.out.println(String.join(",", "ann", data.name(), doors.get(i),
          method.name().toLowerCase(Locale.ROOT),
          buildParams() + " " + widthName() + "=" + ef + filter,
          String.format(Locale.ROOT, "%.2f", buildSeconds),
          String.format(Locale.ROOT, "%.0f", n / elapsed),
          String.format(Locale.ROOT, "%.4f", found[i] / (10.0 * n)),
          String.format(Locale.ROOT, "%.3f", sorted.get(n / 2) / 1e6),
          String.format(Locale.ROOT, "%.3f", sorted.get(Math.min(n - 1, (int) (n * 0.99))) / 1e6),
          String.format(Locale.ROOT, "%.1f", rows[i] / (double) n), "1", ""));
      plot.add(doors.get(i) + filter, found[i] / (10.0 * n), n / elapsed);
      points.computeIfAbsent(doors.get(i) + "," + filter, k -> new ArrayList<>())
          .add(new double[] {ef, found[i] / (10.0 * n), n / elapsed});
    }
  }

  /**
   * One row per door and filter: its QPS at {@link #atRecall}, interpolated linearly in recall
   * between the last width below it and the first at or above it; "not reached" if no width
   * reaches it, and the first width's QPS if every width is above it (a lower bound).
   */
  private void printAtRecall() {
    for (var e : points.entrySet()) {
      String door = e.getKey().substring(0, e.getKey().indexOf(','));
      String filter = e.getKey().substring(e.getKey().indexOf(',') + 1);
      List<double[]> p = e.getValue();
      String how;
      double qps;
      int above = 0;
      while (above < p.size() && p.get(above)[1] < atRecall) {
        above++;
      }
      if (above == p.size()) {
        double best = 0;
        for (double[] point : p) {
          best = Math.max(best, point[1]);
        }
        how = "not reached (best " + String.format(Locale.ROOT, "%.4f", best) + ")";
        qps = Double.NaN;
      } else if (above == 0) {
        how = "every width above it: " + widthName() + "=" + (int) p.get(0)[0] + " gives "
            + String.format(Locale.ROOT, "%.4f", p.get(0)[1]);
        qps = p.get(0)[2];
      } else {
        double[] lo = p.get(above - 1);
        double[] hi = p.get(above);
        double t = (atRecall - lo[1]) / (hi[1] - lo[1]);
        qps = lo[2] + t * (hi[2] - lo[2]);
        how = "between " + widthName() + "=" + (int) lo[0] + " and " + (int) hi[0];
      }
      System.out.println(String.join(",", "ann-at-recall", data.name(), door,
          method.name().toLowerCase(Locale.ROOT),
          buildParams() + " recall=" + atRecall + " " + how + filter, "",
          Double.isNaN(qps) ? "" : String.format(Locale.ROOT, "%.0f", qps),
          String.format(Locale.ROOT, "%.4f", atRecall), "", "", "", "1", ""));
    }
  }

  /** Heap in use after a full collection, in bytes. */
  static long heapUsed() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** This process's resident set (Linux {@code VmRSS}), in bytes; -1 where unknown. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * One CSV row of memory per vector after a door's build: the heap it added, the process's
   * resident set, and the index's own heap bytes ({@code -1}: the door cannot tell).
   */
  private void memoryRow(String door, long heapBefore, long indexHeapBytes) {
    double n = data.base().length;
    long heap = heapUsed() - heapBefore;
    long rss = residentBytes();
    int raw = data.base()[0].length * Float.BYTES;
    String params = String.format(Locale.ROOT,
        "%s raw=%dB heap_added_per_vector=%.1fB rss_per_vector=%.1fB%s", buildParams(), raw,
        heap / n, rss / n, indexHeapBytes < 0 ? ""
            : String.format(Locale.ROOT, " index_heap_per_vector=%.1fB (%.3fx raw)",
                indexHeapBytes / n, indexHeapBytes / n / raw));
    System.out.println(String.join(",", "memory", data.name(), door,
        method.name().toLowerCase(Locale.ROOT), params, "", "", "", "", "", "", "1", ""));
  }

  /**
   * One CSV row of what a point of the sweep kept resident per vector: the mapped pages its
   * passes over the queries touched (graph, vectors read to score or re-rank, codes on disk),
   * the index's heap, and their sum against the raw float32 vector.
   */
  private void workingSetRow(String door, String point, long touched, long readCold) {
    if (touched < 0) {
      return;
    }
    double n = data.base().length;
    int raw = data.base()[0].length * Float.BYTES;
    double heap = Math.max(0, sweptIndexHeapBytes) / n;
    double resident = touched / n + heap;
    String cold = readCold < 0 ? "" : String.format(Locale.ROOT,
        " read_cold_per_vector=%.1fB (one pass of %d queries) resident_cold_per_vector=%.1fB "
            + "(%.3fx raw)", readCold / n, data.queries().length, readCold / n + heap,
        (readCold / n + heap) / raw);
    System.out.println(String.join(",", "memory", data.name(), door,
        method.name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT,
            "%s%s touched_mapped_per_vector=%.1fB index_heap_per_vector=%.1fB "
                + "resident_per_vector=%.1fB (%.3fx raw)%s", buildParams(), point, touched / n,
            heap, resident, resident / raw, cold), "", "", "", "", "", "", "1", ""));
  }

  /** The storage type of the vector column, from {@code --element}. */
  private DataType vectorType() {
    return switch (element) {
      case "float32" -> DataType.FLOAT_VECTOR;
      case "float16" -> DataType.FLOAT16_VECTOR;
      default -> throw new CommandLine.ParameterException(
          new CommandLine(this), "--element must be float32 or float16, not " + element);
    };
  }

  private void jvector() throws Exception {
    int dim = data.base()[0].length;
    List<VectorFloat<?>> rows = new ArrayList<>();
    for (float[] v : data.base()) {
      rows.add(GraphVectors.TYPES.createFloatVector(v.clone()));
    }
    RandomAccessVectorValues values = new ListRandomAccessVectorValues(rows, dim);
    long heapBefore = heapUsed() - (long) data.base().length * dim * Float.BYTES;
    long start = System.nanoTime();
    ImmutableGraphIndex graph;
    // The graph Quiver's HNSW index builds for the same m and ef_construction.
    try (GraphIndexBuilder builder = HnswIndex.builder(values,
        VectorSimilarityFunction.EUCLIDEAN, m, efConstruction)) {
      var build = java.util.concurrent.CompletableFuture.supplyAsync(() -> builder.build(values));
      ProgressBar bar = ProgressBars.start("jvector build", data.base().length);
      while (!build.isDone()) {
        bar.stepTo(builder.getGraph().size(0));
        Thread.sleep(100);
      }
      ProgressBars.finish(bar);
      graph = build.join();
    }
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    // The heap the graph and its vectors hold (the copies made above included).
    memoryRow("jvector", heapBefore, -1);
    jvectorSweep("jvector", buildSeconds, graph, values);
  }

  /** Raw jvector's search of {@code graph}, scored against {@code values}, swept as a door. */
  private void jvectorSweep(String door, double buildSeconds, ImmutableGraphIndex graph,
      RandomAccessVectorValues values) throws java.io.IOException {
    try (GraphSearcher searcher = new GraphSearcher(graph)) {
      sweep(door, buildSeconds, jvectorSearcher(searcher, values));
    }
  }

  /** Raw jvector's search through {@code searcher}, scored against {@code values}. */
  private static Searcher jvectorSearcher(GraphSearcher searcher,
      RandomAccessVectorValues values) {
    return (q, k, ef, below) -> {
      Bits accept = below >= 100 ? Bits.ALL : node -> node % 100 < below;
      SearchResult r = searcher.search(DefaultSearchScoreProvider.exact(
          GraphVectors.TYPES.createFloatVector(q), VectorSimilarityFunction.EUCLIDEAN, values),
          k, ef, 0.0f, 0.0f, accept);
      return Arrays.stream(r.getNodes()).mapToInt(ns -> ns.node).toArray();
    };
  }

  /**
   * Raw jvector over the graph file an SQL door built under {@code dir}: node i is row i of the
   * one compacted segment, which holds the rows in insertion order (ids 0..n-1), so the nodes
   * are the ids, as in the jvector door. Recall would show a wrong mapping at once. Open until
   * closed.
   */
  private final class SharedGraph implements AutoCloseable {
    private final io.github.jbellis.jvector.disk.ReaderSupplier reader;
    private final io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex graph;
    private final GraphSearcher searcher;
    final Searcher search;

    SharedGraph(Path dir) throws java.io.IOException {
      List<VectorFloat<?>> rows = new ArrayList<>();
      for (float[] v : data.base()) {
        rows.add(GraphVectors.TYPES.createFloatVector(v.clone()));
      }
      reader = io.github.jbellis.jvector.disk.ReaderSupplierFactory.open(graphFile(dir));
      graph = io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex.load(reader);
      searcher = new GraphSearcher(graph);
      search = jvectorSearcher(searcher,
          new ListRandomAccessVectorValues(rows, data.base()[0].length));
    }

    @Override
    public void close() throws java.io.IOException {
      searcher.close();
      graph.close();
      reader.close();
    }
  }

  /** The one HNSW graph file under {@code dir}. */
  private static Path graphFile(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      List<Path> graphs = paths.filter(p -> p.getFileName().toString()
          .equals(org.quiver.storage.index.HnswIndex.GRAPH_FILE)).toList();
      if (graphs.size() != 1) {
        throw new IllegalStateException("--shared-graph needs one graph file, found " + graphs);
      }
      return graphs.get(0);
    }
  }

  /**
   * SQL through JDBC: embedded ({@code jdbc:quiver:file:}) or remote (a server on loopback and
   * Quiver's driver, over its channel for {@code remote} and over HTTP for {@code remote-http});
   * CREATE INDEX and SET ef_search in SQL, prepared k-NN queries. Several remote doors share one
   * server and one index, each on a connection of its own, and are measured pass by pass in
   * turn, so that their ratio is one of equal conditions.
   */
  private void jdbc(List<String> doors) throws Exception {
    Path dir = Files.createTempDirectory("quiver-ann-");
    org.quiver.sql.server.QuiverServer server = doors.get(0).startsWith("remote")
        ? org.quiver.sql.server.QuiverServer.start(dir, "127.0.0.1", 0) : null;
    String url = server != null ? server.url() : "jdbc:quiver:file:" + dir;
    String door = String.join("+", doors);
    List<java.sql.Connection> connections = new java.util.ArrayList<>();
    try {
      for (String d : doors) {
        java.util.Properties info = new java.util.Properties();
        info.setProperty("transport", d.equals("remote-http") ? "http" : "auto");
        connections.add(java.sql.DriverManager.getConnection(url, info));
      }
      java.sql.Connection c = connections.get(0);
      try (java.sql.Statement s = c.createStatement()) {
        load(c, s);
        long heapBefore = heapUsed();
        long start = System.nanoTime();
        s.execute("CREATE INDEX bench_v ON bench USING " + method + " (v) WITH (metric = 'l2', "
            + switch (method) {
              case HNSW -> "m = " + m + ", ef_construction = " + efConstruction + quantizationSql();
              case IVF_FLAT, IVF_SQ8 -> "nlist = " + nlist;
              default -> "nlist = " + nlist + ", m = " + pqM;
            } + ")");
        ProgressBar bar = ProgressBars.start(door + " index build", data.base().length);
        awaitIndex(s, bar);
        ProgressBars.finish(bar);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        memoryRow(door, heapBefore, -1);
        List<Searcher> searchers = new java.util.ArrayList<>();
        for (java.sql.Connection each : connections) {
          searchers.add(sqlSearcher(each));
        }
        if (!sharedGraph) {
          sweep(doors, buildSeconds, searchers);
        } else {
          try (SharedGraph shared = new SharedGraph(dir)) {
            // Measured together, pass by pass in turn: the ratio of the rows is then one of
            // equal conditions, whatever the rest of the machine does meanwhile.
            List<String> names = new java.util.ArrayList<>(doors);
            names.add("jvector-same-graph");
            searchers.add(shared.search);
            sweep(names, buildSeconds, searchers);
          }
        }
      }
    } finally {
      for (java.sql.Connection each : connections) {
        each.close();
      }
      if (server != null) {
        server.close();
      }
      FileTrees.deleteRecursively(dir);
    }
  }

  /** Prepared k-NN queries on {@code c}, with the search width set in SQL when it changes. */
  private Searcher sqlSearcher(java.sql.Connection c) throws java.sql.SQLException {
    java.sql.Statement s = c.createStatement();
    java.sql.PreparedStatement all = c.prepareStatement(
        "SELECT id FROM bench ORDER BY v <-> ? LIMIT 10");
    java.sql.PreparedStatement filtered = c.prepareStatement(
        "SELECT id FROM bench WHERE cat < ? ORDER BY v <-> ? LIMIT 10");
    int[] currentWidth = {-1};
    String setting = method == IndexMethod.HNSW ? "ef_search" : "nprobe";
    return (q, k, width, below) -> {
      try {
        if (width != currentWidth[0]) {
          s.execute("SET " + setting + " = " + width);
          currentWidth[0] = width;
        }
        java.sql.PreparedStatement p = below >= 100 ? all : filtered;
        if (below >= 100) {
          p.setObject(1, q);
        } else {
          p.setInt(1, below);
          p.setObject(2, q);
        }
        return topIds(p, k);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /**
   * The sweep against pgvector: the table {@code quiver_bench (id, cat, v vector(d))} filled in
   * 1,000-row batches, pgvector's HNSW ({@code m}, {@code ef_construction}) or IVFFlat ({@code
   * lists} = nlist) index, then {@code hnsw.ef_search} or {@code ivfflat.probes} per width;
   * filtered points use pgvector's relaxed iterative scan, without which a filtered search
   * returns fewer rows than asked for. Vectors travel as text, as pgvector's own Java helper sends
   * them. The table is dropped afterwards.
   */
  private void pgvector(String url) throws Exception {
    int dim = data.base()[0].length;
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS vector");
      s.execute("DROP TABLE IF EXISTS quiver_bench");
      s.execute("CREATE TABLE quiver_bench (id bigint PRIMARY KEY, cat integer, v vector(" + dim
          + "))");
      try {
        try (java.sql.PreparedStatement p = c.prepareStatement(
            "INSERT INTO quiver_bench VALUES (?, ?, ?::vector)")) {
          for (int i = 0; i < data.base().length; i++) {
            p.setLong(1, i);
            p.setInt(2, i % 100);
            p.setString(3, Arrays.toString(data.base()[i]));
            p.addBatch();
            if ((i + 1) % 1000 == 0 || i == data.base().length - 1) {
              p.executeBatch();
            }
          }
        }
        s.execute("ANALYZE quiver_bench");
        long start = System.nanoTime();
        s.execute(method == IndexMethod.HNSW
            ? "CREATE INDEX ON quiver_bench USING hnsw (v vector_l2_ops) WITH (m = " + m
                + ", ef_construction = " + efConstruction + ")"
            : "CREATE INDEX ON quiver_bench USING ivfflat (v vector_l2_ops) WITH (lists = "
                + nlist + ")");
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        String setting = method == IndexMethod.HNSW ? "hnsw.ef_search" : "ivfflat.probes";
        s.execute("SET " + (method == IndexMethod.HNSW ? "hnsw" : "ivfflat")
            + ".iterative_scan = relaxed_order");
        try (java.sql.PreparedStatement all = c.prepareStatement(
                "SELECT id FROM quiver_bench ORDER BY v <-> ?::vector LIMIT 10");
            java.sql.PreparedStatement filtered = c.prepareStatement(
                "SELECT id FROM quiver_bench WHERE cat < ? ORDER BY v <-> ?::vector LIMIT 10")) {
          int[] currentWidth = {-1};
          sweep("pgvector", buildSeconds, (q, k, width, below) -> {
            try {
              if (width != currentWidth[0]) {
                s.execute("SET " + setting + " = " + width);
                currentWidth[0] = width;
              }
              java.sql.PreparedStatement p = below >= 100 ? all : filtered;
              if (below >= 100) {
                p.setString(1, Arrays.toString(q));
              } else {
                p.setInt(1, below);
                p.setString(2, Arrays.toString(q));
              }
              return topIds(p, k);
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          });
        }
      } finally {
        s.execute("DROP TABLE IF EXISTS quiver_bench");
      }
    }
  }

  private void engine() throws Exception {
    int dim = data.base()[0].length;
    Path dir = Files.createTempDirectory("quiver-ann-");
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
        new FieldSchema(3, "v", vectorType(), dim, false, false)));
    try (Engine engine = Engine.open(new QuiverConfig(dir, 1_000_000))) {
      engine.createTable(
          new CreateTableRequest("bench", schema, false, 1, ConsistencyLevel.STRONG));
      for (int from = 0; from < data.base().length; from += 1000) {
        int n = Math.min(1000, data.base().length - from);
        Object[] ids = new Object[n];
        Object[] cats = new Object[n];
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
          ids[i] = (long) (from + i);
          cats[i] = (from + i) % 100;
          System.arraycopy(data.base()[from + i], 0, v, i * dim, dim);
        }
        engine.insert(new InsertRequest("bench",
            Batches.of(schema, n, List.of(ids, cats, v)), null));
      }
      engine.flush(new FlushRequest("bench"));
      engine.compact(new CompactRequest("bench"));
      long heapBefore = heapUsed();
      long start = System.nanoTime();
      engine.createIndex(new CreateIndexRequest("bench", "bench_v", "v", method,
          new IndexParams(IndexMetric.L2, m, efConstruction, nlist, pqM, 0,
              quantizationOption()), 0, 0, rerank, false));
      IndexInfo index = engine.indexes("bench").get(0);
      ProgressBar bar = ProgressBars.start("engine index build", data.base().length);
      while (engine.indexProgress(index).builtSegments() < engine.indexProgress(index).totalSegments()) {
        bar.stepTo(engine.indexProgress(index).builtRows());
        Thread.sleep(5);
      }
      ProgressBars.finish(bar);
      double buildSeconds = (System.nanoTime() - start) / 1e9;
      memoryRow("engine", heapBefore, engine.indexHeapBytes(index));
      long mapped = engine.loadState(engine.table("bench").orElseThrow()).mappedBytes();
      System.out.println(String.join(",", "memory", data.name(), "engine",
          method.name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT,
              "element=%s mapped_vector_bytes_per_vector=%.1fB", element,
              mapped / (double) data.base().length), "", "", "", "", "", "", "1", ""));
      boolean graph = method == IndexMethod.HNSW;
      mappedRoot = dir;
      sweptIndexHeapBytes = engine.indexHeapBytes(index);
      sweep("engine", buildSeconds, (q, k, width, below) -> {
        org.quiver.engine.api.Expr filter = below >= 100 ? null
            : new org.quiver.engine.api.Expr.Compare(org.quiver.engine.api.Expr.CompareOp.LT,
                new org.quiver.engine.api.Expr.Column("cat"),
                new org.quiver.engine.api.Expr.Literal(below));
        ResultRows r = engine.search(new SearchRequest("bench", "v", q, IndexMetric.L2, k, 0,
            filter, List.of("id"), new SearchOptions(graph ? width : 0, graph ? 0 : width, false)),
            ReadOptions.DEFAULT);
        return ids(r);
      });
    } finally {
      mappedRoot = null;
      sweptIndexHeapBytes = -1;
      FileTrees.deleteRecursively(dir);
    }
  }

  /** The ids of a result whose first column is the BIGINT id. */
  private static int[] ids(ResultRows result) {
    Int64Column ids = (Int64Column) result.columns().get(0);
    int[] out = new int[result.rowCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) ids.getLong(i);
    }
    return out;
  }
}
