package org.quiver.tests;

import java.net.URL;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactory;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactoryImpl;
import org.apache.calcite.avatica.remote.KerberosConnection;

/**
 * Avatica's HTTP client, counting the requests it sends: named in a remote URL as
 * {@code httpclient_factory}, it shows how many round trips a result took.
 */
public final class CountingHttpClientFactory implements AvaticaHttpClientFactory {
  static final AtomicInteger REQUESTS = new AtomicInteger();

  @Override
  public AvaticaHttpClient getClient(URL url, ConnectionConfig config,
      KerberosConnection kerberosUtil) {
    AvaticaHttpClient http =
        AvaticaHttpClientFactoryImpl.getInstance().getClient(url, config, kerberosUtil);
    return request -> {
      REQUESTS.incrementAndGet();
      return http.send(request);
    };
  }
}
