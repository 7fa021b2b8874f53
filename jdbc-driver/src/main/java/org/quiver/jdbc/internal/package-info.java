/**
 * The thin driver's machinery, public only so that the server and the embedded library can share
 * it, not an API for applications: {@link VectorJdbc} wraps a connection with Quiver's JDBC
 * contract for vectors, {@link ChannelProtocol} and {@link ChannelClients} carry Avatica's
 * requests over the server's persistent TCP channel instead of one HTTP request each,
 * {@link CatalogQueries} answers DatabaseMetaData from the {@code sys} tables, and the rest
 * supplies what Avatica's protocol lacks for remote connections (cancel, query timeout, batches
 * sent once, reuse of idle statements). The wire formats here are shared with quiver-server, so
 * both sides change together.
 */
package org.quiver.jdbc.internal;
