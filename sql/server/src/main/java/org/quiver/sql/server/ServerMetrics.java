package org.quiver.sql.server;

import java.lang.management.BufferPoolMXBean;
import java.math.BigDecimal;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.quiver.engine.Quiver;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.index.IndexNode;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.rootcoord.IndexInfo;
import org.quiver.engine.rootcoord.SegmentInfo;

/**
 * What the server has done since it started, counted at the meta layer (one call per statement
 * execution), and what the engine holds, read when scraped; written out in the Prometheus text
 * format (version 0.0.4) for {@code /metrics}.
 *
 * <p>Thread-safe: counters are atomic, and a scrape reads them without stopping the writers, so
 * the figures of one scrape may be a few statements apart from each other.
 */
public final class ServerMetrics {
  /** Upper bounds of the latency buckets, in seconds. */
  static final double[] BUCKETS =
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** What a statement does, from its first keyword. */
  enum Kind {
    QUERY, INSERT, DELETE, OTHER;

    static Kind of(String sql) {
      return switch (AccessControl.firstKeyword(sql)) {
        case "SELECT", "WITH", "VALUES" -> QUERY;
        case "INSERT", "UPSERT" -> INSERT;
        case "DELETE" -> DELETE;
        default -> OTHER;
      };
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How an Avatica request reached the server. */
  enum Transport {
    /** An HTTP POST, from any Avatica client. */
    HTTP,
    /** A frame on a channel of Quiver's driver ({@link ChannelDoor}). */
    CHANNEL;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Executions, errors and latency of one kind of statement. */
  private static final class Series {
    final LongAdder count = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder nanos = new LongAdder();
    /** Per bucket, non-cumulative; the last slot is +Inf. */
    final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length + 1);
  }

  private final Quiver engine;
  private final long startNanos = System.nanoTime();
  private final Series[] series = new Series[Kind.values().length];
  private final AtomicLong insertedRows = new AtomicLong();
  /** Frames of results sent after the first one (which rides on the execute response). */
  private final LongAdder frames = new LongAdder();
  /** Avatica requests received, by {@link Transport}. */
  private final LongAdder[] requests = {new LongAdder(), new LongAdder()};
  /** Channels open now. */
  private final AtomicLong channels = new AtomicLong();
  /**
   * The kind of each open prepared statement, by statement id (executions carry only the id).
   * Bounded, because a client that vanishes never closes its statements: beyond the bound the
   * oldest are forgotten and their executions count as {@code other}.
   */
  private final Map<Integer, Kind> preparedKinds = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Kind> eldest) {
      return size() > MAX_PREPARED;
    }
  };

  private static final int MAX_PREPARED = 65_536;

  ServerMetrics(Quiver engine) {
    this.engine = engine;
    for (int i = 0; i < series.length; i++) {
      series[i] = new Series();
    }
  }

  /** Records one execution of {@code kind} that took {@code nanos} and failed or not. */
  void record(Kind kind, long nanos, boolean failed) {
    Series s = series[kind.ordinal()];
    s.count.increment();
    s.nanos.add(nanos);
    if (failed) {
      s.errors.increment();
    }
    double seconds = nanos / 1e9;
    int bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]) {
      bucket++;
    }
    s.buckets.incrementAndGet(bucket);
  }

  void prepared(int statementId, Kind kind) {
    synchronized (preparedKinds) {
      preparedKinds.put(statementId, kind);
    }
  }

  void closed(int statementId) {
    synchronized (preparedKinds) {
      preparedKinds.remove(statementId);
    }
  }

  /** The kind of a prepared statement being executed. */
  Kind preparedKind(int statementId) {
    synchronized (preparedKinds) {
      return preparedKinds.getOrDefault(statementId, Kind.OTHER);
    }
  }

  /** Adds rows that INSERT statements report as written. */
  void insertedRows(long rows) {
    insertedRows.addAndGet(rows);
  }

  /** Counts one Avatica request that came by {@code transport}. */
  void request(Transport transport) {
    requests[transport.ordinal()].increment();
  }

  /** Adds {@code delta} (1 or -1) to the channels open now. */
  void channels(int delta) {
    channels.addAndGet(delta);
  }

  void frameFetched() {
    frames.increment();
  }

  long uptimeSeconds() {
    return (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  int tables() {
    return engine.proxy().collections().size();
  }

  /** {@code /health}: the server answers and its catalog can be read. */
  String healthJson() {
    return "{\"status\":\"ok\",\"tables\":" + tables() + ",\"uptime_seconds\":" + uptimeSeconds()
        + "}\n";
  }

  /** {@code /metrics}: everything, in the Prometheus text format. */
  String prometheus() {
    StringBuilder out = new StringBuilder(4096);
    header(out, "quiver_statements_total", "counter", "Statements executed, by kind.");
    for (Kind k : Kind.values()) {
      sample(out, "quiver_statements_total", kindLabel(k), series[k.ordinal()].count.sum());
    }
    header(out, "quiver_statement_errors_total", "counter", "Statements that failed, by kind.");
    for (Kind k : Kind.values()) {
      sample(out, "quiver_statement_errors_total", kindLabel(k), series[k.ordinal()].errors.sum());
    }
    header(out, "quiver_inserted_rows_total", "counter", "Rows written by INSERT statements.");
    sample(out, "quiver_inserted_rows_total", "", insertedRows.get());
    header(out, "quiver_result_frames_total", "counter",
        "Frames of results fetched after the first, at most --max-rows-per-frame rows each.");
    sample(out, "quiver_result_frames_total", "", frames.sum());
    header(out, "quiver_requests_total", "counter",
        "Avatica requests received, by transport (http: POSTs; channel: Quiver's driver).");
    for (Transport t : Transport.values()) {
      sample(out, "quiver_requests_total", "transport=\"" + t.label() + "\"",
          requests[t.ordinal()].sum());
    }
    header(out, "quiver_channels", "gauge", "Channels of Quiver's driver open now.");
    sample(out, "quiver_channels", "", channels.get());
    header(out, "quiver_statement_duration_seconds", "histogram",
        "Time to execute a statement on the server, by kind.");
    for (Kind k : Kind.values()) {
      Series s = series[k.ordinal()];
      long cumulative = 0;
      for (int b = 0; b <= BUCKETS.length; b++) {
        cumulative += s.buckets.get(b);
        String le = b == BUCKETS.length ? "+Inf" : number(BUCKETS[b]);
        sample(out, "quiver_statement_duration_seconds_bucket",
            kindLabel(k) + ",le=\"" + le + "\"", cumulative);
      }
      out.append("quiver_statement_duration_seconds_sum{").append(kindLabel(k)).append("} ")
          .append(number(s.nanos.sum() / 1e9)).append('\n');
      sample(out, "quiver_statement_duration_seconds_count", kindLabel(k), cumulative);
    }
    engine(out);
    memory(out);
    header(out, "quiver_uptime_seconds", "gauge", "Seconds since the server started.");
    sample(out, "quiver_uptime_seconds", "", uptimeSeconds());
    return out.toString();
  }

  private void engine(StringBuilder out) {
    Proxy proxy = engine.proxy();
    List<CollectionInfo> tables = proxy.collections();
    header(out, "quiver_tables", "gauge", "Tables in the catalog.");
    sample(out, "quiver_tables", "", tables.size());
    header(out, "quiver_segments", "gauge", "Sealed segments, by table.");
    StringBuilder rows = new StringBuilder();
    StringBuilder built = new StringBuilder();
    StringBuilder total = new StringBuilder();
    for (CollectionInfo t : tables) {
      List<SegmentInfo> segments;
      List<IndexInfo> indexes;
      try {
        segments = proxy.segments(t.name());
        indexes = proxy.indexes(t.name());
      } catch (QuiverException droppedSinceListed) {
        continue;
      }
      String table = "table=\"" + escape(t.name()) + "\"";
      sample(out, "quiver_segments", table, segments.size());
      sample(rows, "quiver_segment_rows", table,
          segments.stream().mapToLong(SegmentInfo::rowCount).sum());
      for (IndexInfo index : indexes) {
        IndexNode.Progress p = proxy.indexProgress(index);
        String labels = table + ",index=\"" + escape(index.name()) + "\"";
        sample(built, "quiver_index_segments_built", labels, p.builtSegments());
        sample(total, "quiver_index_segments", labels, p.totalSegments());
      }
    }
    header(out, "quiver_segment_rows", "gauge", "Rows in sealed segments, by table.");
    out.append(rows);
    header(out, "quiver_index_segments_built", "gauge",
        "Segments whose vector index is built, by index.");
    out.append(built);
    header(out, "quiver_index_segments", "gauge", "Segments an index covers when complete.");
    out.append(total);
  }

  private static void memory(StringBuilder out) {
    header(out, "quiver_jvm_memory_used_bytes", "gauge", "JVM memory in use, by area.");
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    sample(out, "quiver_jvm_memory_used_bytes", "area=\"heap\"", heap.getUsed());
    sample(out, "quiver_jvm_memory_used_bytes", "area=\"nonheap\"", nonHeap.getUsed());
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      sample(out, "quiver_jvm_memory_used_bytes",
          "area=\"buffer_" + escape(pool.getName()) + "\"", pool.getMemoryUsed());
    }
    header(out, "quiver_jvm_memory_committed_bytes", "gauge", "JVM memory committed, by area.");
    sample(out, "quiver_jvm_memory_committed_bytes", "area=\"heap\"", heap.getCommitted());
    sample(out, "quiver_jvm_memory_committed_bytes", "area=\"nonheap\"", nonHeap.getCommitted());
    header(out, "quiver_jvm_memory_max_bytes", "gauge", "Largest heap the JVM may use.");
    sample(out, "quiver_jvm_memory_max_bytes", "area=\"heap\"", heap.getMax());
  }

  private static String kindLabel(Kind k) {
    return "kind=\"" + k.label() + "\"";
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, long value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ').append(value).append('\n');
  }

  /** Plain decimal notation, as Prometheus' own clients write bucket bounds ({@code 0.0005}). */
  private static String number(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** A label value as the text format wants it: backslash, quote and newline escaped. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
