/**
 * The query node between processes, over Arrow Flight: {@link
 * org.quiver.engine.cluster.QueryNodeServer} serves any {@link
 * org.quiver.engine.querynode.QueryNode} of its process, {@link
 * org.quiver.engine.cluster.RemoteQueryNode} is the node as another process calls it (with
 * deadlines, and {@link org.quiver.engine.cluster.QueryNodeUnavailableException} for a node that
 * is gone). Each call is a {@link org.quiver.engine.cluster.QueryNodeCall} record, written as JSON
 * by {@link org.quiver.engine.cluster.QueryNodeCodec} (a Flight action, or the ticket of a read);
 * rows come back as Arrow record batches ({@link org.quiver.engine.cluster.ResultBatches}). The
 * engine finds the client through {@code ServiceLoader} ({@link
 * org.quiver.engine.querynode.QueryNodeConnector}), so it carries no Flight of its own. See
 * docs/cluster.md, "The query node's transport".
 */
package org.quiver.engine.cluster;
