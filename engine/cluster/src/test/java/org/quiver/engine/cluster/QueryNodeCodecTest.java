package org.quiver.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.cluster.QueryNodeCall.Query;
import org.quiver.engine.querynode.SegmentAssignment;
import org.quiver.storage.index.IndexMetric;

class QueryNodeCodecTest {
  private final QueryNodeCodec codec = new QueryNodeCodec();

  private QueryNodeCall roundTrip(QueryNodeCall call) {
    return codec.decodeCall(codec.encode(call));
  }

  /** Every call but the searches, whose query vectors are arrays records do not compare. */
  private static List<QueryNodeCall> plainCalls() {
    QueryRequest query = new QueryRequest("every_type", Samples.filterWith(5L),
        List.of("pk", "v", "i32"), 10, null, List.of("p1", "_default"));
    QueryRequest keys = new QueryRequest("every_type", null, List.of("pk"), -1,
        List.of("a", "b"), null);
    return List.of(new QueryNodeCall.Ping(), new QueryNodeCall.Load(Samples.TABLE),
        new QueryNodeCall.Load(Samples.HIDDEN_KEY),
        new QueryNodeCall.LoadRetained(Samples.DROPPED),
        new QueryNodeCall.ReleasedPartitions(42), new QueryNodeCall.LoadStateOf(42, null),
        new QueryNodeCall.LoadStateOf(42, "p1"), new QueryNodeCall.Release(42),
        new QueryNodeCall.IndexCreated(Samples.INDEX),
        new QueryNodeCall.IndexBuilt(Samples.SEGMENT, Samples.INDEX),
        new QueryNodeCall.IndexDropped(Samples.INDEX),
        new QueryNodeCall.IndexHeapBytes(Samples.INDEX), new QueryNodeCall.IsLoaded(42),
        new QueryNodeCall.TSafe(42), new QueryNodeCall.AdvanceTSafe(Samples.TABLE, Long.MAX_VALUE),
        new QueryNodeCall.CatchUp(Samples.TABLE),
        new QueryNodeCall.SegmentsFlushed(List.of(Samples.SEGMENT, Samples.SEGMENT)),
        new QueryNodeCall.SegmentsFlushed(List.of()),
        new QueryNodeCall.PartitionCreated(42, "p2"), new QueryNodeCall.PartitionDropped(42, "p1"),
        new QueryNodeCall.ReleaseAll(),
        new QueryNodeCall.SegmentsCompacted(List.of(Samples.SEGMENT), Samples.SEGMENT),
        new QueryNodeCall.Unreadable(Samples.TABLE),
        new QueryNodeCall.Query(Samples.TABLE, query, 77),
        new QueryNodeCall.GetByKeys(Samples.TABLE, keys, 78),
        new QueryNodeCall.Scan(Samples.TABLE, query, 79),
        new QueryNodeCall.Assign(SegmentAssignment.of(List.of("node1", "node0"), "node1")),
        new QueryNodeCall.Assign(SegmentAssignment.WHOLE));
  }

  @Test
  void everyCallArrivesEqualAndNamed() {
    for (QueryNodeCall call : plainCalls()) {
      byte[] json = codec.encode(call);
      assertTrue(new String(json, StandardCharsets.UTF_8)
          .contains("\"call\":\"" + call.getClass().getSimpleName() + "\""), call.name());
      QueryNodeCall back = codec.decodeCall(json);
      assertEquals(call, back);
      assertEquals(call.name(), back.name());
    }
  }

  @Test
  void everyKindOfCallIsCovered() {
    Set<Class<?>> covered = new HashSet<>();
    plainCalls().forEach(c -> covered.add(c.getClass()));
    covered.add(QueryNodeCall.Search.class);
    covered.add(QueryNodeCall.SearchBatch.class);
    Set<Class<?>> all = new HashSet<>();
    for (Class<?> c : QueryNodeCall.class.getPermittedSubclasses()) {
      all.addAll(c.isInterface() ? List.of(c.getPermittedSubclasses()) : List.of(c));
    }
    assertEquals(all, covered);
    assertEquals(all.size(), all.stream().map(Class::getSimpleName).collect(Collectors.toSet())
        .size(), "action names are unique");
  }

  @Test
  void searchesKeepTheirQueryVectorsBitForBit() {
    SearchVector floats = new SearchVector.Floats(
        new float[] {0f, -0f, 1.1f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, 1e-40f});
    SearchVector bits = new SearchVector.Bits(12, new byte[] {(byte) 0xA5, (byte) 0xF0});
    SearchVector sparse = new SearchVector.Sparse(1000, new int[] {0, 17, 999},
        new float[] {0.5f, -3.25f, 1e10f});
    List<SearchRequest> requests = List.of(
        new SearchRequest("every_type", "v", floats, IndexMetric.L2, 5, 2, Samples.filterWith(1),
            List.of("pk", "d"), new SearchOptions(32, 4, true), List.of("p1")),
        new SearchRequest("every_type", "bits", bits, IndexMetric.HAMMING, 1, 0, null,
            List.of(), SearchOptions.DEFAULT, null),
        new SearchRequest("every_type", "sp", sparse, IndexMetric.L1, 3, 0, null,
            List.of("sp"), new SearchOptions(0, 9, false), null));
    for (SearchRequest request : requests) {
      var back = (QueryNodeCall.Search) roundTrip(
          new QueryNodeCall.Search(Samples.TABLE, request, 123));
      assertEquals(Samples.TABLE, back.info());
      assertEquals(123, back.readTs());
      assertSameRequest(request, back.request());
    }
    var batch = (QueryNodeCall.SearchBatch) roundTrip(new QueryNodeCall.SearchBatch(
        Samples.TABLE, requests.get(0), List.of(floats, bits, sparse), 9));
    assertSameRequest(requests.get(0), batch.request());
    assertEquals(3, batch.queries().size());
    assertSameVector(floats, batch.queries().get(0));
    assertSameVector(bits, batch.queries().get(1));
    assertSameVector(sparse, batch.queries().get(2));
    var none = (QueryNodeCall.SearchBatch) roundTrip(
        new QueryNodeCall.SearchBatch(Samples.TABLE, requests.get(1), List.of(), 9));
    assertEquals(List.of(), none.queries());
  }

  static void assertSameRequest(SearchRequest expected, SearchRequest actual) {
    assertEquals(expected.collection(), actual.collection());
    assertEquals(expected.vectorField(), actual.vectorField());
    assertEquals(expected.metric(), actual.metric());
    assertEquals(expected.k(), actual.k());
    assertEquals(expected.offset(), actual.offset());
    assertEquals(expected.filter(), actual.filter());
    assertEquals(expected.outputFields(), actual.outputFields());
    assertEquals(expected.options(), actual.options());
    assertEquals(expected.partitions(), actual.partitions());
    assertSameVector(expected.query(), actual.query());
  }

  static void assertSameVector(SearchVector expected, SearchVector actual) {
    assertEquals(expected.getClass(), actual.getClass());
    switch (expected) {
      case SearchVector.Floats f -> assertArrayEquals(rawBits(f.values()),
          rawBits(((SearchVector.Floats) actual).values()));
      case SearchVector.Bits b -> {
        assertEquals(b.length(), ((SearchVector.Bits) actual).length());
        assertArrayEquals(b.packed(), ((SearchVector.Bits) actual).packed());
      }
      case SearchVector.Sparse s -> {
        var a = (SearchVector.Sparse) actual;
        assertEquals(s.dimension(), a.dimension());
        assertArrayEquals(s.indices(), a.indices());
        assertArrayEquals(rawBits(s.values()), rawBits(a.values()));
      }
    }
  }

  private static int[] rawBits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  @Test
  void literalsKeepTheirJavaClass() {
    for (Object literal : Samples.literals()) {
      QueryRequest request = new QueryRequest("every_type", Samples.filterWith(literal),
          List.of("pk"), -1);
      var back = (Query) roundTrip(new Query(Samples.TABLE, request, 1));
      Expr.Compare compare = (Expr.Compare) ((Expr.And) back.request().filter()).terms().get(0);
      assertSameValue(literal, ((Expr.Literal) compare.right()).value());
      if (!(literal instanceof byte[])) {
        assertEquals(request, back.request(), String.valueOf(literal));
      }
    }
  }

  @Test
  void keysKeepTheirJavaClass() {
    for (List<Object> keys : List.<List<Object>>of(List.of(1L, 2L, Long.MAX_VALUE),
        List.of("a", "é", ""), List.of(3, 4L), List.of())) {
      QueryRequest request = new QueryRequest("every_type", null, List.of("pk"), -1, keys, null);
      var back = (QueryNodeCall.GetByKeys) roundTrip(
          new QueryNodeCall.GetByKeys(Samples.TABLE, request, 1));
      assertEquals(keys.size(), back.request().keys().size());
      for (int i = 0; i < keys.size(); i++) {
        assertSameValue(keys.get(i), back.request().keys().get(i));
      }
    }
  }

  private static void assertSameValue(Object expected, Object actual) {
    if (expected == null) {
      assertNull(actual);
      return;
    }
    if (expected instanceof List<?> list) {
      List<?> back = assertInstanceOf(List.class, actual);
      assertEquals(list.size(), back.size());
      for (int i = 0; i < list.size(); i++) {
        assertSameValue(list.get(i), back.get(i));
      }
      return;
    }
    assertEquals(expected.getClass(), actual.getClass(), String.valueOf(expected));
    assertTrue(java.util.Objects.deepEquals(expected, actual),
        expected + " came back as " + actual);
    if (expected instanceof java.sql.Timestamp t) {
      assertEquals(t.getNanos(), ((java.sql.Timestamp) actual).getNanos());
    }
  }

  @Test
  void aLiteralOfAnotherClassIsRefusedWhenSentNamingIt() {
    QueryRequest request = new QueryRequest("every_type",
        Samples.filterWith(new StringBuilder("x")), List.of("pk"), -1);
    QuiverException e = assertThrows(QuiverException.class,
        () -> codec.encode(new Query(Samples.TABLE, request, 1)));
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, e.code());
    assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());
  }

  @Test
  void aRequestTheNodeWouldRefuseFailsWithItsOwnCodeWhenRead() {
    SearchRequest request = new SearchRequest("every_type", "v", new float[] {1, 2, 3},
        IndexMetric.L2, 5, 0, null, List.of());
    String json = new String(codec.encode(new QueryNodeCall.Search(Samples.TABLE, request, 1)),
        StandardCharsets.UTF_8);
    assertTrue(json.contains("\"k\":5"), json);
    byte[] negative = json.replace("\"k\":5", "\"k\":-5").getBytes(StandardCharsets.UTF_8);
    QuiverException e = assertThrows(QuiverException.class, () -> codec.decodeCall(negative));
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
  }

  @Test
  void answersRoundTrip() {
    for (long n : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      assertEquals(n, codec.decodeLong(codec.encodeAnswer(n)));
    }
    assertTrue(codec.decodeBoolean(codec.encodeAnswer(true)));
    assertEquals(false, codec.decodeBoolean(codec.encodeAnswer(false)));
    assertEquals(Set.of("p1", "p 2", "_default"),
        codec.decodeNames(codec.encodeAnswer(List.of("p1", "p 2", "_default"))));
    assertEquals(Set.of(), codec.decodeNames(codec.encodeAnswer(List.of())));
    for (LoadState state : List.of(LoadState.NOT_LOADED,
        new LoadState("loading", 37, 1L << 40, 12_345))) {
      assertEquals(state, codec.decodeLoadState(codec.encodeAnswer(state)));
    }
    assertEquals(Optional.of(Samples.DAMAGE),
        codec.decodeDamage(codec.encodeAnswer(Samples.DAMAGE)));
    assertEquals(Path.of("segments/42/p1/7/data.arrow"),
        codec.decodeDamage(codec.encodeAnswer(Samples.DAMAGE)).orElseThrow().file(),
        "a relative path stays relative");
    assertEquals(Optional.empty(), codec.decodeDamage(codec.encodeAnswer(null)));
  }

  @Test
  void unknownFieldsFromANewerPeerAreSkipped() {
    String json = new String(codec.encode(new QueryNodeCall.Release(42)), StandardCharsets.UTF_8);
    byte[] newer = json.replace("}", ",\"since\":3}").getBytes(StandardCharsets.UTF_8);
    assertEquals(new QueryNodeCall.Release(42), codec.decodeCall(newer));
  }
}
