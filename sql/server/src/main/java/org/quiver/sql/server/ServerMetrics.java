package org.quiver.sql.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.grammar.StatementKind;

/**
 * What the server has done since it started, counted at the meta layer (one call per statement
 * execution), and what the engine holds, read when scraped: a registry of the Prometheus Java
 * client, written out in the Prometheus text format (version 0.0.4) for {@code /metrics}, with
 * the client's standard JVM metrics ({@code jvm_memory_used_bytes} and the rest) beside Quiver's.
 *
 * <p>Thread-safe: the client's counters are, and a scrape reads them without stopping the
 * writers, so the figures of one scrape may be a few statements apart from each other.
 */
public final class ServerMetrics {
  /** Upper bounds of the latency buckets, in seconds. */
  static final double[] BUCKETS =
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** The kinds of statement counted apart: queries, inserts, deletes and the rest. */
  enum Kind {
    QUERY, INSERT, DELETE, OTHER;

    static Kind of(String sql) {
      return switch (StatementKind.of(sql)) {
        case QUERY -> QUERY;
        case INSERT -> INSERT;
        case DELETE -> DELETE;
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

  private static final PrometheusTextFormatWriter TEXT_FORMAT = PrometheusTextFormatWriter.create();

  private final Engine engine;
  private final long startNanos = System.nanoTime();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter statements = Counter.builder().name("quiver_statements_total")
      .help("Statements executed, by kind.").labelNames("kind").register(registry);
  private final Counter statementErrors = Counter.builder().name("quiver_statement_errors_total")
      .help("Statements that failed, by kind.").labelNames("kind").register(registry);
  private final Histogram statementSeconds = Histogram.builder()
      .name("quiver_statement_duration_seconds")
      .help("Time to execute a statement on the server, by kind.").labelNames("kind")
      .classicOnly().classicUpperBounds(BUCKETS).register(registry);
  private final Counter insertedRows = Counter.builder().name("quiver_inserted_rows_total")
      .help("Rows written by INSERT statements.").register(registry);
  /** Frames of results sent after the first one (which rides on the execute response). */
  private final Counter frames = Counter.builder().name("quiver_result_frames_total")
      .help("Frames of results fetched after the first, at most --max-rows-per-frame rows each.")
      .register(registry);
  private final Counter requests = Counter.builder().name("quiver_requests_total")
      .help("Avatica requests received, by transport (http: POSTs; channel: Quiver's driver).")
      .labelNames("transport").register(registry);
  private final Gauge channels = Gauge.builder().name("quiver_channels")
      .help("Channels of Quiver's driver open now.").register(registry);
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

  ServerMetrics(Engine engine) {
    this.engine = engine;
    for (Kind k : Kind.values()) {
      // Every kind from the start, so that a scrape shows zeros rather than nothing.
      statements.labelValues(k.label());
      statementErrors.labelValues(k.label());
      statementSeconds.labelValues(k.label());
    }
    for (Transport t : Transport.values()) {
      requests.labelValues(t.label());
    }
    registerEngineGauges();
    GaugeWithCallback.builder().name("quiver_uptime_seconds")
        .help("Seconds since the server started.")
        .callback(callback -> callback.call(uptimeSeconds())).register(registry);
    JvmMetrics.builder().register(registry);
  }

  /** Records one execution of {@code kind} that took {@code nanos} and failed or not. */
  void record(Kind kind, long nanos, boolean failed) {
    statements.labelValues(kind.label()).inc();
    statementSeconds.labelValues(kind.label()).observe(nanos / 1e9);
    if (failed) {
      statementErrors.labelValues(kind.label()).inc();
    }
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
    insertedRows.inc(rows);
  }

  /** Counts one Avatica request that came by {@code transport}. */
  void request(Transport transport) {
    requests.labelValues(transport.label()).inc();
  }

  /** Adds {@code delta} (1 or -1) to the channels open now. */
  void channels(int delta) {
    channels.inc(delta);
  }

  void frameFetched() {
    frames.inc();
  }

  long uptimeSeconds() {
    return (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  int tables() {
    return engine.tables().size();
  }

  /** {@code /health}: the server answers and its catalog can be read. */
  String healthJson() {
    return "{\"status\":\"ok\",\"tables\":" + tables() + ",\"uptime_seconds\":" + uptimeSeconds()
        + "}\n";
  }

  /** {@code /metrics}: everything, in the Prometheus text format. */
  String prometheus() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
    try {
      TEXT_FORMAT.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The content type of {@link #prometheus}. */
  static String contentType() {
    return TEXT_FORMAT.getContentType();
  }

  /**
   * The catalog's gauges, read from the engine in one pass at each scrape (the tables, then each
   * table's segments and indexes once). A table dropped between listing the tables and reading
   * its segments is left out of that scrape.
   */
  private void registerEngineGauges() {
    registry.register((MultiCollector) this::catalogSnapshots);
  }

  private MetricSnapshots catalogSnapshots() {
    List<CollectionInfo> tables = engine.tables();
    GaugeSnapshot.Builder segmentCount = gauge("quiver_segments", "Sealed segments, by table.");
    GaugeSnapshot.Builder segmentRows =
        gauge("quiver_segment_rows", "Rows in sealed segments, by table.");
    GaugeSnapshot.Builder indexBuilt = gauge("quiver_index_segments_built",
        "Segments whose vector index is built, by index.");
    GaugeSnapshot.Builder indexTotal =
        gauge("quiver_index_segments", "Segments an index covers when complete.");
    for (CollectionInfo t : tables) {
      List<SegmentInfo> segments;
      List<IndexInfo> indexes;
      try {
        segments = engine.segments(t.name());
        indexes = engine.indexes(t.name());
      } catch (QuiverException droppedSinceListed) {
        continue;
      }
      Labels table = Labels.of("table", t.name());
      segmentCount.dataPoint(point(segments.size(), table));
      segmentRows.dataPoint(
          point(segments.stream().mapToLong(SegmentInfo::rowCount).sum(), table));
      for (IndexInfo index : indexes) {
        IndexProgress progress = engine.indexProgress(index);
        Labels labels = Labels.of("table", t.name(), "index", index.name());
        indexBuilt.dataPoint(point(progress.builtSegments(), labels));
        indexTotal.dataPoint(point(progress.totalSegments(), labels));
      }
    }
    return MetricSnapshots.of(
        gauge("quiver_tables", "Tables in the catalog.").dataPoint(point(tables.size(),
            Labels.EMPTY)).build(),
        segmentCount.build(), segmentRows.build(), indexBuilt.build(), indexTotal.build());
  }

  private static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(name).help(help);
  }

  private static GaugeSnapshot.GaugeDataPointSnapshot point(double value, Labels labels) {
    return GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }
}
