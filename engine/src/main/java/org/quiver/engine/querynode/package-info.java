/**
 * Milvus's query node: {@link org.quiver.engine.querynode.QueryNode} is the entry point the proxy,
 * the data node, the index node and compaction call, and delegates each job to a class named after
 * it. {@code CollectionLoader} loads a table (its sealed segments, read in place from their
 * memory-mapped data files, then the log after them), replays each DML channel into the table's
 * {@code GrowingData} (growing rows, positions, tSafe) and owns the {@code querynode} consumer
 * group; {@code IndexAttacher} opens and closes the segments' indexes ({@code SegmentIndexes});
 * {@code SegmentHandOff} swaps segment sets for the data node's seals, compaction's merges and
 * dropped partitions. Reads are MVCC at the read timestamp ({@code LoadedCollection#visibleRows})
 * after the checks of {@code LoadedCollections}: {@code SearchPlanner} picks a segment's index or
 * the {@code ExactScanner} per row set, {@code BatchSearch} answers many queries in one exact pass,
 * {@code KeyLookup} finds rows by primary key, and {@code RowScan} streams a filtered scan. A
 * {@code LoadedCollection}'s state is changed only through its own methods and those of its parts;
 * reads hold its read lock, applying the log and hand-offs its write lock, and a mapped segment is
 * unmapped only once the last read using it ends. It depends on engine.api, msgstream, rootcoord,
 * engine.segment and storage, never on the proxy. A node in another process is reached through a
 * {@code QueryNodeConnector}, found with {@code ServiceLoader} (quiver-engine-cluster's, over
 * Arrow Flight), so this package carries no transport.
 */
package org.quiver.engine.querynode;
