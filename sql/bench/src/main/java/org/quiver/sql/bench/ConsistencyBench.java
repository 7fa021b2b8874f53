package org.quiver.sql.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.fixtures.Batches;
import org.quiver.storage.FileTrees;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench consistency}: the extra wait of a STRONG read issued right after an
 * acknowledged insert, embedded. Each round inserts one row (acknowledged: durable in the log),
 * then reads it back by primary key at STRONG, which must wait for the write and apply it; the
 * same read at EVENTUALLY (which never waits) gives the read's own cost. The wait is the difference.
 * Engine-level (no SQL planning), so the figure is the consistency machinery's alone.
 */
@Command(name = "consistency", description = "The extra wait of a STRONG read right after an "
    + "acknowledged insert, embedded, at the engine's API.")
final class ConsistencyBench implements Callable<Integer> {
  @Option(names = "--rounds", paramLabel = "N", defaultValue = "5000",
      description = "insert-then-read rounds measured (after up to 2,000 more to warm up)")
  private int rounds;

  @Option(names = "--dim", paramLabel = "N", defaultValue = "128",
      description = "dimension of the inserted vectors")
  private int dim;

  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("quiver-bench-consistency-");
    try (Engine engine = Engine.open(QuiverConfig.at(dir))) {
      CollectionSchema schema = new CollectionSchema(List.of(
          new FieldSchema(1, "id", DataType.INT64, 0, false, true),
          new FieldSchema(2, "v", DataType.FLOAT_VECTOR, dim, false, false)));
      engine.createTable(
          new CreateTableRequest("bench", schema, false, 1, ConsistencyLevel.STRONG));
      ReadOptions strong = new ReadOptions(ConsistencyLevel.STRONG, 0, 0, -1);
      ReadOptions eventually = new ReadOptions(ConsistencyLevel.EVENTUALLY, 0, 0, -1);
      long[] strongNs = new long[rounds];
      long[] eventualNs = new long[rounds];
      long[] waitNs = new long[rounds];
      int warmup = Math.min(2_000, rounds);
      for (int i = -warmup; i < rounds; i++) {
        long id = i + warmup;
        engine.insert(new InsertRequest("bench", row(schema, id, dim), null));
        QueryRequest byId = new QueryRequest("bench",
            new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("id"), new Expr.Literal(id)),
            List.of("id"), 1);
        long t0 = System.nanoTime();
        int seen = engine.query(byId, strong).rows().size();
        long t1 = System.nanoTime();
        engine.query(byId, eventually);
        long t2 = System.nanoTime();
        if (seen != 1) {
          throw new IllegalStateException("a STRONG read missed the write of row " + id);
        }
        if (i >= 0) {
          strongNs[i] = t1 - t0;
          eventualNs[i] = t2 - t1;
          waitNs[i] = strongNs[i] - eventualNs[i];
        }
      }
      Arrays.sort(strongNs);
      Arrays.sort(eventualNs);
      Arrays.sort(waitNs);
      // The wait of a round: its STRONG read minus the EVENTUALLY read of the same state just
      // after it; percentiles of those differences.
      System.out.println("bench,rounds,strong_p50_us,strong_p99_us,eventually_p50_us,"
          + "eventually_p99_us,extra_wait_p50_us,extra_wait_p90_us,extra_wait_p99_us");
      System.out.println(String.format(Locale.ROOT,
          "consistency,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f", rounds, us(strongNs, 0.50),
          us(strongNs, 0.99), us(eventualNs, 0.50), us(eventualNs, 0.99), us(waitNs, 0.50),
          us(waitNs, 0.90), us(waitNs, 0.99)));
    } finally {
      FileTrees.deleteRecursively(dir);
    }
    return 0;
  }

  private static ColumnBatch row(CollectionSchema schema, long id, int dim) {
    float[] v = new float[dim];
    Arrays.fill(v, id % 97);
    return Batches.of(schema, 1, List.of(new Object[] {id}, v));
  }

  private static double us(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000.0;
  }
}
