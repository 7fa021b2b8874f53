package org.quiver.sql.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.quiver.engine.QueryNodeService;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.cluster.QueryNodeServer;
import org.quiver.storage.FileTrees;

/**
 * {@code quiver serve --role querynode}: a cluster's query node. It opens the shared catalog, log
 * and segments ({@link QueryNodeService}), serves the coordinator's calls over Arrow Flight
 * ({@link QueryNodeServer}) and then registers its session, so that the coordinator sends it
 * work only once it can answer. Runs until SIGTERM; SIGKILL is what the coordinator's failover
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
    QueryNodeService node;
    QueryNodeServer server;
    try {
      node = QueryNodeService.open(config, id != null ? id : idOf(data));
    } catch (QuiverException | IllegalArgumentException | UncheckedIOException e) {
      System.err.println("quiver: " + e.getMessage());
      return 1;
    }
    try {
      server = QueryNodeServer.start(node, bind, port);
      node.register(advertised(bind) + ":" + server.port());
    } catch (RuntimeException e) {
      node.close();
      System.err.println("quiver: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      node.close();
      stopped.countDown();
      System.out.println("Quiver query node " + node.id() + " stopped.");
      System.out.flush();
      Runtime.getRuntime().halt(0);
    }, "quiver-shutdown"));
    System.out.println("Quiver query node " + node.id() + " is serving on "
        + advertised(bind) + ":" + server.port() + " (cache " + data.toAbsolutePath().normalize()
        + ")");
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

  /** The address the coordinator reaches this node at: the bound one, or this host's name. */
  private static String advertised(String bind) {
    if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
      return bind;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }
}
