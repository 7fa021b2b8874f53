package org.quiver.engine.cluster;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.Quantization;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/** Values of every kind the query node's calls carry, for the codec and transport tests. */
final class Samples {
  private Samples() {}

  /** A column of every DataType, all nullable but the key, and the hidden row id last. */
  static final CollectionSchema EVERY_TYPE = new CollectionSchema(List.of(
      new FieldSchema(1, "pk", DataType.VARCHAR, 64, false, true),
      new FieldSchema(2, "b", DataType.BOOL, 0, true, false),
      new FieldSchema(3, "i8", DataType.INT8, 0, true, false),
      new FieldSchema(4, "i16", DataType.INT16, 0, true, false),
      new FieldSchema(5, "i32", DataType.INT32, 0, true, false),
      new FieldSchema(6, "i64", DataType.INT64, 0, true, false),
      new FieldSchema(7, "f", DataType.FLOAT, 0, true, false),
      new FieldSchema(8, "d", DataType.DOUBLE, 0, true, false),
      new FieldSchema(9, "s", DataType.VARCHAR, 0, true, false),
      new FieldSchema(10, "ts", DataType.TIMESTAMP, 0, true, false),
      new FieldSchema(11, "bits", DataType.BINARY_VECTOR, 12, true, false),
      new FieldSchema(12, "v", DataType.FLOAT_VECTOR, 3, true, false),
      new FieldSchema(13, "h", DataType.FLOAT16_VECTOR, 4, true, false),
      new FieldSchema(14, "sp", DataType.SPARSE_FLOAT_VECTOR, 1000, true, false)));

  static final CollectionInfo TABLE = new CollectionInfo(42, "every_type", EVERY_TYPE,
      List.of("dml_42_0", "dml_42_1"), 1_000L, true, ConsistencyLevel.BOUNDED, 2_000L);

  static final CollectionInfo HIDDEN_KEY = new CollectionInfo(43, "no_key",
      new CollectionSchema(List.of(new FieldSchema(1, "v", DataType.FLOAT_VECTOR, 2, false, false),
          FieldSchema.rowId(2))),
      List.of("dml_43_0"), 5L, false);

  static final SegmentInfo SEGMENT = new SegmentInfo(7, 42, "dml_42_0", 1_000, 3, 11, 99,
      SegmentInfo.directoryOf(42, "p1", 7));

  static final IndexInfo INDEX = new IndexInfo(9, 42, "v_idx", "v", IndexMethod.HNSW,
      IndexMetric.COSINE, 16, 100, 0, 8, 40, 0, Quantization.PQ, 64);

  static final DroppedCollection DROPPED = new DroppedCollection(TABLE, 3_000L,
      List.of(SEGMENT), Map.of("dml_42_0", 99L, "dml_42_1", -1L));

  static final Damage DAMAGE = new Damage(42, 7,
      Path.of("segments/42/p1/7/data.arrow"), "checksum mismatch", Damage.Effect.TABLE_UNREADABLE);

  /** One literal of each Java class a filter may carry. */
  static List<Object> literals() {
    List<Object> values = new ArrayList<>(Arrays.asList(
        null, true, false, (byte) -7, (short) 300, 5, 5L, Long.MIN_VALUE, 1.5f, Float.NaN,
        Double.NEGATIVE_INFINITY, 0.1, -0.0, new BigDecimal("1.50"), new BigDecimal("-1E+3"),
        new BigInteger("123456789012345678901234567890"), "text with \"quotes\" and ümlauts", "",
        'c', new byte[] {0, 1, -1, 127},
        LocalDate.of(2026, 12, 7), LocalTime.of(18, 30, 1, 5), LocalDateTime.of(2026, 1, 2, 3, 4),
        Instant.ofEpochSecond(1_700_000_000L, 123), OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6,
            ZoneOffset.ofHours(2)), OffsetTime.of(1, 2, 3, 4, ZoneOffset.UTC),
        ZonedDateTime.of(2026, 3, 29, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
        Duration.ofMillis(1500), new java.util.Date(1_700_000_000_123L),
        new java.sql.Date(1_700_000_000_000L), new java.sql.Time(3_600_000L)));
    java.sql.Timestamp ts = new java.sql.Timestamp(1_700_000_000_123L);
    ts.setNanos(123_456_789);
    values.add(ts);
    values.add(Arrays.asList(1L, null, "x", List.of(2, 3.5)));
    return values;
  }

  /** A filter using every kind of expression, with {@code literal} in one comparison. */
  static Expr filterWith(Object literal) {
    return new Expr.And(List.of(
        new Expr.Compare(Expr.CompareOp.GE, new Expr.Column("i32"), new Expr.Literal(literal)),
        new Expr.Or(List.of(new Expr.IsNull(new Expr.Column("s")),
            new Expr.Not(new Expr.IsNotNull(new Expr.Column("d"))),
            new Expr.Compare(Expr.CompareOp.NE, new Expr.Literal("a"), new Expr.Column("s")))),
        new Expr.Compare(Expr.CompareOp.LT, new Expr.Column("i64"), new Expr.Literal(null))));
  }
}
