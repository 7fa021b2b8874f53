package org.quiver.sql.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.quiver.sql.server.QuiverServer;
import sqlline.SqlLine;

/** The entry point of {@code ./quiver}: {@code serve} and {@code console}. */
public final class Main {
  private static final String USAGE = """
      usage: quiver serve   [--data DIR] [--port N] [--bind ADDRESS]
             quiver console [--url JDBC_URL | --data DIR] [-f FILE] [-e STATEMENT]
             quiver bench   [ingest|search|all] [--door embedded|remote] [--batch N] [--repeats N]
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.print(USAGE);
      System.exit(2);
    }
    List<String> rest = List.of(args).subList(1, args.length);
    switch (args[0]) {
      case "serve" -> serve(new Options(rest));
      case "console" -> System.exit(console(new Options(rest)));
      case "bench" -> org.quiver.sql.bench.Bench.main(rest.toArray(new String[0]));
      default -> {
        System.err.print(USAGE);
        System.exit(2);
      }
    }
  }

  private static void serve(Options o) throws Exception {
    Path data = Path.of(o.value("--data", "quiver-data"));
    int port = Integer.parseInt(o.value("--port", "8765"));
    String bind = o.value("--bind", "127.0.0.1");
    QuiverServer server = QuiverServer.start(data, bind, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
      System.out.println("Quiver stopped.");
      System.out.flush();
      // A clean stop on SIGTERM: the JVM would otherwise report 143 (killed by the signal).
      Runtime.getRuntime().halt(0);
    }, "quiver-shutdown"));
    System.out.println("Quiver is serving " + data.toAbsolutePath().normalize());
    System.out.println("  JDBC URL:       " + server.url());
    System.out.println("  stock Avatica:  " + server.avaticaUrl());
    System.out.println("Stop with Ctrl-C (SIGTERM).");
    System.out.flush();
    stopped.await();
  }

  private static int console(Options o) throws IOException {
    String url = o.value("--url", null);
    if (url == null) {
      url = "jdbc:quiver:file:" + Path.of(o.value("--data", "quiver-data")).toAbsolutePath();
    }
    List<String> args = new ArrayList<>(List.of("-d", "org.quiver.jdbc.QuiverDriver",
        "-u", url, "-n", "", "-p", "", "--isolation=TRANSACTION_NONE"));
    if (System.console() == null) {
      // Piped input: sqlline would print zero-width columns without a width, and jline would
      // warn that it cannot open a terminal.
      args.add("--maxWidth=160");
      System.setProperty("org.jline.terminal.dumb", "true");
    }
    String file = o.value("-f", null);
    if (file != null) {
      args.addAll(List.of("-f", file));
    }
    String statement = o.value("-e", null);
    if (statement != null) {
      args.addAll(List.of("-e", statement));
    }
    SqlLine.Status status = SqlLine.start(args.toArray(new String[0]), null, true);
    return status == SqlLine.Status.OK ? 0 : 1;
  }

  /** {@code --name value} pairs. */
  private record Options(List<String> args) {
    String value(String name, String fallback) {
      int i = args.indexOf(name);
      if (i < 0) {
        return fallback;
      }
      if (i + 1 >= args.size()) {
        System.err.print("missing value after " + name + "\n" + USAGE);
        System.exit(2);
      }
      return args.get(i + 1);
    }
  }
}
