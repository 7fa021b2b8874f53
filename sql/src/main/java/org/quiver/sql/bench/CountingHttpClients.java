package org.quiver.sql.bench;

import java.net.URL;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactory;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactoryImpl;
import org.apache.calcite.avatica.remote.KerberosConnection;

/**
 * Avatica's HTTP client, counting the requests it sends in this JVM: named as a remote
 * connection's {@code httpclient_factory}, it shows how many round trips a call took.
 */
public final class CountingHttpClients implements AvaticaHttpClientFactory {
  private static final AtomicLong REQUESTS = new AtomicLong();

  /** HTTP requests sent so far by every connection that names this factory. */
  public static long requests() {
    return REQUESTS.get();
  }

  @Override
  public AvaticaHttpClient getClient(URL url, ConnectionConfig config,
      KerberosConnection kerberos) {
    AvaticaHttpClient http =
        AvaticaHttpClientFactoryImpl.getInstance().getClient(url, config, kerberos);
    return request -> {
      REQUESTS.incrementAndGet();
      return http.send(request);
    };
  }
}
