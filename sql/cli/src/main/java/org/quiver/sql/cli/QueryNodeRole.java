package org.quiver.sql.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.quiver.engine.api.QueryNodeHost;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.FileTrees;

/**
 * {@code quiver serve --role querynode}: a cluster's query node ({@link QueryNodeHost}: the shared
 * catalog, log and segments, the coordinator's calls served over Arrow Flight, its session
 * registered once it can answer). Runs until SIGTERM; SIGKILL is what the coordinator's failover
 * handles.
 */
final class QueryNodeRole {
  /** Where a query node keeps the id it registers under, so that a restart keeps it. */
  static final String ID_FILE = "querynode.id";

  private QueryNodeRole() {}

  static int run(Path data, String id, String bind, int port, URI catalog, URI log,
      URI segments) throws InterruptedException {
    QuiverConfig config = QuiverConfig.at(data).withCatalog(catalog).withLog(log)
        .withSegments(segments);
    QueryNodeHost node;
    try {
      node = QueryNodeHost.start(config, id != null ? id : idOf(data), bind, port);
    } catch (QuiverException | IllegalArgumentException | UncheckedIOException e) {
      System.err.println("quiver: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
      System.out.println("Quiver query node " + node.id() + " stopped.");
      System.out.flush();
      Runtime.getRuntime().halt(0);
    }, "quiver-shutdown"));
    System.out.println("Quiver query node " + node.id() + " is serving on " + node.endpoint()
        + " (cache " + data.toAbsolutePath().normalize() + ")");
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The id kept in the data folder, made up at the first start. */
  private static String idOf(Path data) {
    Path file = data.resolve(ID_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      Files.createDirectories(data);
      String id = "qn-" + UUID.randomUUID().toString().substring(0, 8);
      FileTrees.writeDurably(file, id.getBytes(StandardCharsets.UTF_8));
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the query node's id in " + file, e);
    }
  }
}
