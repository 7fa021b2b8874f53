package org.quiver.sql.bench;

import java.net.URL;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactory;
import org.apache.calcite.avatica.remote.KerberosConnection;
import org.quiver.jdbc.internal.ChannelClients;

/**
 * The client of Quiver's driver (the channel, or Avatica's HTTP client as the connection's {@code
 * transport} says: {@link ChannelClients}), counting the requests it sends in this JVM and their
 * bytes: named as a remote connection's {@code httpclient_factory}, it shows how many round trips
 * a call took and how large its requests were.
 */
public final class CountingHttpClients implements AvaticaHttpClientFactory {
  private static final AtomicLong REQUESTS = new AtomicLong();
  private static final AtomicLong REQUEST_BYTES = new AtomicLong();

  /** HTTP requests sent so far by every connection that names this factory. */
  public static long requests() {
    return REQUESTS.get();
  }

  /** The bytes of the request bodies sent so far by every connection that names this factory. */
  public static long requestBytes() {
    return REQUEST_BYTES.get();
  }

  @Override
  public AvaticaHttpClient getClient(URL url, ConnectionConfig config,
      KerberosConnection kerberos) {
    return new Counting(ChannelClients.INSTANCE.getClient(url, config, kerberos));
  }

  /** A client that counts its requests; closing it closes the client it counts for. */
  private record Counting(AvaticaHttpClient client) implements AvaticaHttpClient, AutoCloseable {
    @Override
    public byte[] send(byte[] request) {
      REQUESTS.incrementAndGet();
      REQUEST_BYTES.addAndGet(request.length);
      return client.send(request);
    }

    @Override
    public void close() throws Exception {
      if (client instanceof AutoCloseable own) {
        own.close();
      }
    }
  }
}
