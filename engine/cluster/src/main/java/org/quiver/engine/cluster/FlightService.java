package org.quiver.engine.cluster;

import java.io.IOException;
import java.util.function.Function;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flight server of a {@link CallProducer} on a host and port, with the buffers it answers
 * from: what {@link QueryNodeServer} and {@link EngineServer} share.
 */
final class FlightService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlightService.class);
  /** How long a call cut by {@link #close} may take to return: {@value} ms. */
  private static final long STOP_GRACE_MS = 3_000;

  private final String what;
  private final BufferAllocator allocator;
  private final CallProducer producer;
  private final FlightServer server;
  private final String location;

  private FlightService(String what, BufferAllocator allocator, CallProducer producer,
      FlightServer server, String location) {
    this.what = what;
    this.allocator = allocator;
    this.producer = producer;
    this.server = server;
    this.location = location;
  }

  /**
   * Serves the producer {@code producer} makes on {@code host:port} (0: a free one); {@code what}
   * names the service in events and errors ({@code query_node}, {@code engine}). With a {@code
   * token} every call must carry it ({@link ClusterToken}); without one only a loopback address
   * is served (28000 otherwise).
   */
  static FlightService start(String what, String host, int port, String token,
      Function<BufferAllocator, CallProducer> producer) {
    ClusterToken.requireFor(host, token, what.replace('_', ' '));
    BufferAllocator allocator = new RootAllocator();
    try {
      CallProducer calls = producer.apply(allocator);
      FlightServer.Builder builder = FlightServer.builder(allocator,
          Location.forGrpcInsecure(host, port), calls);
      if (token != null) {
        builder.headerAuthenticator(ClusterToken.authenticator(token));
      }
      FlightServer server = builder.build().start();
      String location = host + ":" + server.getPort();
      LOG.info("event={}_serving location={}", what, location);
      return new FlightService(what, allocator, calls, server, location);
    } catch (IOException e) {
      allocator.close();
      throw new QuiverException(ErrorCode.IO_ERROR, "could not serve the " + what.replace('_', ' ')
          + " on " + host + ":" + port + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  int port() {
    return server.getPort();
  }

  String location() {
    return location;
  }

  /**
   * Stops serving: a scan in flight ends before its next chunk, with the status that tells its
   * client the server is unavailable; other calls in flight are given a few seconds (Flight's own
   * grace, 3 s), then cut. The buffers are let go once the last call has returned; a call stuck
   * for {@value #STOP_GRACE_MS} ms more keeps them, and is logged.
   */
  @Override
  public void close() {
    producer.stopping = true;
    try {
      server.close();
      if (producer.awaitIdle(STOP_GRACE_MS)) {
        allocator.close();
      } else {
        LOG.warn("event={}_server_call_stuck location={} calls={}", what, location,
            producer.inFlight());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
