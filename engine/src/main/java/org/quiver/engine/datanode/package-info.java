/**
 * Milvus's data node: {@link DataNode} follows every DML channel from its checkpoint on one
 * background thread, buffers inserts and deletes in growing segments and, when one is sealed,
 * writes the segment's files and then records the segment and moves the channel's checkpoint in
 * one catalog write, so that a restart replays from there and loses or doubles nothing. Each seal
 * is handed to the query node through a callback the engine wires. {@link Compactor} merges a
 * channel's sealed segments and purges what no read inside the retention window can see. The
 * growing buffers belong to the data node's thread. It depends on msgstream, rootcoord, datacoord
 * and engine.segment, not on the proxy or the query node.
 */
package org.quiver.engine.datanode;
