package org.quiver.engine.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.LongStream;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.fixtures.Batches;
import org.quiver.fixtures.ClusteredBits;
import org.quiver.fixtures.TopicSparseVectors;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.index.BitHnswIndex;
import org.quiver.storage.index.IndexFormat;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.SegmentIndex;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.SparseHnswIndex;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.SegmentFiles;
import org.quiver.storage.segment.SegmentManifest;
import org.quiver.storage.vector.HalfFloats;
import org.quiver.storage.vector.LowRankMixture;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.SparseVector;
import org.quiver.storage.vector.VectorColumn;
import org.quiver.storage.vector.VectorKernels;

/**
 * A kind of column that {@link VectorIndexContractTest} runs its contract over, so that the float,
 * bit-string and sparse indexes keep one contract with one set of assertions: how rows and queries
 * are drawn (clustered, so that the nearest neighbours are structure rather than noise and the
 * recall bounds hold for every seed), their exact distances, how the index of a segment is written
 * and opened, and what the engine's column and queries are.
 */
sealed interface DataKind {
  /**
   * The kind of {@code variant}: BIT_HNSW, SPARSE_HNSW, or a float variant (an index method, HNSW
   * with its quantization, ending in _HALF over float16).
   */
  static DataKind of(String variant) {
    return switch (variant) {
      case "BIT_HNSW" -> new Bits();
      case "SPARSE_HNSW" -> new Sparse();
      default -> new Floats(variant);
    };
  }

  /** The variant's name, as the contract's parameters spell it. */
  String variant();

  IndexMethod method();

  DataType type();

  int dimension();

  /** The metrics an index of this kind is built for. */
  List<IndexMetric> metrics();

  /**
   * The metrics the engine test builds an index for: every one of the bit and sparse graphs, whose
   * scorers are Quiver's own (as in the engine's exact scan); L2 for the float methods, whose
   * metrics share the engine's path and differ only inside jvector and the IVF code, which the
   * file-level contract runs by each.
   */
  List<IndexMetric> engineMetrics();

  IndexParams params(IndexMetric metric, long seed);

  /** Search widths at which the index should reach recall@10 >= 0.9 on the drawn rows. */
  SearchParams wide();

  /**
   * The graph search width through the engine: narrow, so that the graph answers rather than an
   * exact scan, which the engine prefers for a segment of no more than ef * 2m rows (the engine
   * test's 3000 rows need ef < 94 at m 16) and under a filter that fewer than sqrt(ef * 2m * rows)
   * pass (at ef 20, the half that its filter {@code cat < 50} passes is more).
   */
  default int engineEf() {
    return 20;
  }

  /**
   * A query of zeros: as near to what a NULL row stores (zero bytes in a bit column, no element
   * in a sparse one) as to any row.
   */
  SearchVector zero();

  /**
   * {@code count} rows drawn from {@code seed} for an index by {@code metric}, NULL where
   * {@code nullRow} passes, and a generator of queries near them. {@code scratch} and
   * {@code arena} hold what the rows need beside the heap (a mapped segment file).
   */
  Rows draw(long seed, int count, IntPredicate nullRow, IndexMetric metric, Path scratch,
      Arena arena) throws IOException;

  /**
   * As {@link #draw(long, int, IntPredicate, IndexMetric, Path, Arena)}, with the vector of every
   * row {@code zeroRow} passes (and {@code nullRow} does not) all zeros; float kinds only.
   */
  default Rows draw(long seed, int count, IntPredicate nullRow, IntPredicate zeroRow,
      IndexMetric metric, Path scratch, Arena arena) throws IOException {
    throw new UnsupportedOperationException(variant() + " draws no rows of zeros");
  }

  /** Rows drawn for one metric, and the index over them. */
  interface Rows {
    int count();

    boolean isNull(int row);

    /** A fresh query near the rows. */
    SearchVector query();

    /** The value of a non-NULL {@code row}, as a query. */
    SearchVector row(int row);

    /** The exact distance from {@code q} to a non-NULL {@code row}, as the index ranks. */
    double distance(SearchVector q, int row);

    /** Rows from..to-1 as {@link Batches#of} takes the column. */
    Object column(int from, int to);

    /** Writes the index of the rows into {@code at}. */
    void write(Path at, IndexParams params) throws IOException;

    /** Opens the index in {@code at}, scoring against the rows. */
    Opened read(Path at) throws IOException;
  }

  /** An index opened over drawn rows, searched with the engine's query type. */
  record Opened(SegmentIndex index, Search search) implements AutoCloseable {
    int[] search(SearchVector q, int k, SearchParams params, IntPredicate accept) {
      return search.nearest(q, k, params, accept);
    }

    @Override
    public void close() throws IOException {
      index.close();
    }
  }

  /** How an index of a kind is searched for the rows nearest to a query. */
  @FunctionalInterface
  interface Search {
    int[] nearest(SearchVector q, int k, SearchParams params, IntPredicate accept);
  }

  /**
   * A FLOAT_VECTOR column, or a FLOAT16_VECTOR one for the variants named {@code ..._HALF},
   * indexed by HNSW (HNSW_PQ, HNSW_BQ and HNSW_NVQ are HNSW with product-quantization, binary or
   * NVQ codes re-ranked against the full vectors; HNSW_L1 is the graph by L1 distance, which
   * Quiver scores itself) or an IVF method; the rows come from a low-rank Gaussian mixture.
   */
  record Floats(String variant) implements DataKind {
    private static final int DIM = 32;
    static final int NLIST = 32;
    private static final String HALF = "_HALF";

    /**
     * Whether the column is FLOAT16_VECTOR: its vectors are rounded to float16, and the index
     * scores them where the query node reads them, float16 in a mapped segment file.
     */
    boolean half() {
      return variant.endsWith(HALF);
    }

    /** The variant over a FLOAT_VECTOR column that this is, or is over float16. */
    String base() {
      return half() ? variant.substring(0, variant.length() - HALF.length()) : variant;
    }

    @Override
    public IndexMethod method() {
      return IndexMethod.valueOf(base().startsWith("HNSW") ? "HNSW" : base());
    }

    @Override
    public DataType type() {
      return half() ? DataType.FLOAT16_VECTOR : DataType.FLOAT_VECTOR;
    }

    @Override
    public int dimension() {
      return DIM;
    }

    /** Whether the index is the L1 graph, the one float index by L1 (and by L1 only). */
    boolean l1() {
      return base().equals("HNSW_L1");
    }

    @Override
    public List<IndexMetric> metrics() {
      return l1() ? List.of(IndexMetric.L1) : IndexMetric.CODED_METRICS;
    }

    /** L1's graph is scored by Quiver, not jvector: the engine test runs it by its own metric. */
    @Override
    public List<IndexMetric> engineMetrics() {
      return List.of(l1() ? IndexMetric.L1 : IndexMetric.L2);
    }

    @Override
    public IndexParams params(IndexMetric metric, long seed) {
      return new IndexParams(metric, 16, 100, NLIST, 8, seed, switch (base()) {
        case "HNSW_PQ" -> Quantization.PQ;
        case "HNSW_BQ" -> Quantization.BINARY;
        case "HNSW_NVQ" -> Quantization.NVQ;
        default -> Quantization.NONE;
      });
    }

    /**
     * Binary codes of 32 dimensions are 32 bits: they steer coarsely, so their search re-ranks
     * deeper, as a user of them would set rerank.
     */
    @Override
    public SearchParams wide() {
      return new SearchParams(base().equals("HNSW_BQ") ? 400 : 100, 8);
    }

    /**
     * Binary codes re-rank what they find: at ef 20 their coarse steering found 0.88 of the ten
     * nearest through the engine on one seed.
     */
    @Override
    public int engineEf() {
      return base().equals("HNSW_BQ") ? 80 : 20;
    }

    @Override
    public SearchVector zero() {
      return new SearchVector.Floats(new float[DIM]);
    }

    @Override
    public Rows draw(long seed, int count, IntPredicate nullRow, IndexMetric metric, Path scratch,
        Arena arena) throws IOException {
      return draw(seed, count, nullRow, r -> false, metric, scratch, arena);
    }

    @Override
    public Rows draw(long seed, int count, IntPredicate nullRow, IntPredicate zeroRow,
        IndexMetric metric, Path scratch, Arena arena) throws IOException {
      LowRankMixture data = new LowRankMixture(seed, DIM, 6, 24);
      float[] vectors = data.next(count);
      // Maximum inner product on raw vectors is not what graphs or centroids navigate well.
      boolean unit = metric == IndexMetric.IP;
      if (unit) {
        LowRankMixture.normalise(vectors, DIM);
      }
      for (int r = 0; r < count; r++) {
        if (nullRow.test(r)) {
          NullVectors.set(vectors, r, DIM);
        } else if (zeroRow.test(r)) {
          Arrays.fill(vectors, r * DIM, (r + 1) * DIM, 0f);
        }
      }
      // Exact search runs on what the index holds: float16 values, for a float16 column.
      if (half()) {
        HalfFloats.round(vectors, 0, vectors.length);
      }
      SegmentVectors segment = half() ? mapped(vectors, scratch, arena)
          : SegmentVectors.of(vectors, DIM);
      IndexFormat format = IndexFormat.of(method());
      return new Rows() {
        @Override
        public int count() {
          return count;
        }

        @Override
        public boolean isNull(int row) {
          return NullVectors.isNull(vectors, row, DIM);
        }

        @Override
        public SearchVector query() {
          float[] q = data.next(1);
          if (unit) {
            LowRankMixture.normalise(q, DIM);
          }
          return new SearchVector.Floats(q);
        }

        @Override
        public SearchVector row(int row) {
          return new SearchVector.Floats(Arrays.copyOfRange(vectors, row * DIM, (row + 1) * DIM));
        }

        @Override
        public double distance(SearchVector q, int row) {
          float[] v = ((SearchVector.Floats) q).values();
          float norm = (float) Math.sqrt(VectorKernels.normSquared(v, 0, DIM));
          return metric.distance(v, norm, vectors, row * DIM, DIM);
        }

        @Override
        public Object column(int from, int to) {
          return Arrays.copyOfRange(vectors, from * DIM, to * DIM);
        }

        @Override
        public void write(Path at, IndexParams params) throws IOException {
          format.writer().write(at, 1, vectors, DIM, count, params);
        }

        @Override
        public Opened read(Path at) throws IOException {
          VectorIndex index = format.reader().read(at, metric, segment);
          return new Opened(index, (q, k, params, accept) ->
              index.search(((SearchVector.Floats) q).values(), k, params, accept));
        }
      };
    }

    /**
     * {@code vectors} stored in a FLOAT16_VECTOR segment file under {@code scratch} and mapped in
     * {@code arena}, as the query node reads such a column.
     */
    private static SegmentVectors mapped(float[] vectors, Path scratch, Arena arena)
        throws IOException {
      int n = vectors.length / DIM;
      CollectionSchema schema = new CollectionSchema(List.of(
          new FieldSchema(1, "id", DataType.INT64, 0, false, true),
          new FieldSchema(2, "v", DataType.FLOAT16_VECTOR, DIM, true, false)));
      Object[] ids = LongStream.range(0, n).boxed().toArray();
      Files.createDirectories(scratch);
      FileInfo data = SegmentFiles.writeData(scratch, schema, new long[n],
          Batches.of(schema, n, List.of(ids, vectors)));
      SegmentManifest manifest = new SegmentManifest(1, n, 0, 0, List.of(data));
      VectorColumn column =
          SegmentFiles.mapData(scratch, manifest, schema, arena).rows().mapped(1);
      assertEquals(Short.BYTES, column.elementBytes());
      return SegmentVectors.of(column);
    }
  }

  /**
   * A BINARY_VECTOR column of 200 bits (three whole 64-bit words and a tail byte) indexed by the
   * bit-string HNSW graph; the rows cluster around 30 centres, a fifth of their bits flipped.
   */
  record Bits(String variant, IndexMethod method, DataType type, int dimension,
      List<IndexMetric> metrics) implements DataKind {
    private static final int BITS = 200;

    Bits() {
      this("BIT_HNSW", IndexMethod.HNSW, DataType.BINARY_VECTOR, BITS,
          List.of(IndexMetric.HAMMING, IndexMetric.JACCARD));
    }

    @Override
    public List<IndexMetric> engineMetrics() {
      return metrics();
    }

    @Override
    public IndexParams params(IndexMetric metric, long seed) {
      return new IndexParams(metric, 16, 100, 0, 0, seed);
    }

    /** As narrow as the graph's own test searched it before this contract ran it. */
    @Override
    public SearchParams wide() {
      return new SearchParams(40, 1);
    }

    @Override
    public SearchVector zero() {
      return new SearchVector.Bits(BITS, new byte[DataType.bitBytes(BITS)]);
    }

    @Override
    public Rows draw(long seed, int count, IntPredicate nullRow, IndexMetric metric, Path scratch,
        Arena arena) {
      ClusteredBits data = new ClusteredBits(seed, BITS, 30, 0.2);
      int bytes = DataType.bitBytes(BITS);
      byte[] flat = new byte[count * bytes];
      BitSet nulls = new BitSet();
      Object[] values = new Object[count];
      for (int r = 0; r < count; r++) {
        if (nullRow.test(r)) {
          nulls.set(r);
        } else {
          byte[] s = data.next();
          System.arraycopy(s, 0, flat, r * bytes, bytes);
          values[r] = s;
        }
      }
      BinaryVectorColumn column = new BinaryVectorColumn(BITS, flat, nulls);
      return new Rows() {
        @Override
        public int count() {
          return count;
        }

        @Override
        public boolean isNull(int row) {
          return column.isNull(row);
        }

        @Override
        public SearchVector query() {
          return new SearchVector.Bits(BITS, data.next());
        }

        @Override
        public SearchVector row(int row) {
          return new SearchVector.Bits(BITS, column.get(row));
        }

        @Override
        public double distance(SearchVector q, int row) {
          byte[] packed = ((SearchVector.Bits) q).packed();
          return metric == IndexMetric.HAMMING ? column.hamming(row, packed)
              : column.jaccard(row, packed);
        }

        @Override
        public Object column(int from, int to) {
          return Arrays.copyOfRange(values, from, to);
        }

        @Override
        public void write(Path at, IndexParams params) throws IOException {
          BitHnswIndex.build(at, 1, column, params);
        }

        @Override
        public Opened read(Path at) throws IOException {
          BitHnswIndex index = BitHnswIndex.load(at, metric, column);
          return new Opened(index, (q, k, params, accept) ->
              index.search(((SearchVector.Bits) q).packed(), k, params.ef(), accept));
        }
      };
    }
  }

  /**
   * A SPARSE_FLOAT_VECTOR column of 1,000 dimensions indexed by the sparse HNSW graph; the rows
   * are drawn around 40 topics, with up to ten terms from anywhere.
   */
  record Sparse(String variant, IndexMethod method, DataType type, int dimension,
      List<IndexMetric> metrics) implements DataKind {
    private static final int DIM = 1000;

    Sparse() {
      this("SPARSE_HNSW", IndexMethod.HNSW, DataType.SPARSE_FLOAT_VECTOR, DIM,
          IndexMetric.SPARSE_METRICS);
    }

    @Override
    public List<IndexMetric> engineMetrics() {
      return metrics();
    }

    @Override
    public IndexParams params(IndexMetric metric, long seed) {
      return new IndexParams(metric, 16, 100, 0, 0, seed);
    }

    @Override
    public SearchParams wide() {
      return new SearchParams(100, 1);
    }

    @Override
    public SearchVector zero() {
      return new SearchVector.Sparse(DIM, new int[0], new float[0]);
    }

    @Override
    public Rows draw(long seed, int count, IntPredicate nullRow, IndexMetric metric, Path scratch,
        Arena arena) {
      TopicSparseVectors data = new TopicSparseVectors(seed, DIM, 40);
      Random extra = new Random(seed);
      SparseVector[] values = new SparseVector[count];
      for (int r = 0; r < count; r++) {
        values[r] = nullRow.test(r) ? null : data.next(extra.nextInt(11));
      }
      SparseVectorColumn column = SparseVectorColumn.of(DIM, values, count);
      return new Rows() {
        @Override
        public int count() {
          return count;
        }

        @Override
        public boolean isNull(int row) {
          return column.isNull(row);
        }

        @Override
        public SearchVector query() {
          SparseVector q = data.next(5);
          return new SearchVector.Sparse(DIM, q.indices(), q.values());
        }

        @Override
        public SearchVector row(int row) {
          return new SearchVector.Sparse(DIM, values[row].indices(), values[row].values());
        }

        @Override
        public double distance(SearchVector q, int row) {
          return metric.distance(column, row, ((SearchVector.Sparse) q).vector());
        }

        @Override
        public Object column(int from, int to) {
          return Arrays.copyOfRange(values, from, to, Object[].class);
        }

        @Override
        public void write(Path at, IndexParams params) throws IOException {
          SparseHnswIndex.build(at, 1, column, params);
        }

        @Override
        public Opened read(Path at) throws IOException {
          SparseHnswIndex index = SparseHnswIndex.load(at, metric, column);
          return new Opened(index, (q, k, params, accept) ->
              index.search(((SearchVector.Sparse) q).vector(), k, params.ef(), accept));
        }
      };
    }
  }
}
