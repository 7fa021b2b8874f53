/**
 * Milvus's query node: {@link QueryNode} holds the loaded collections (sealed segments read in
 * place from their memory-mapped data files, plus the growing rows it reads from each DML channel)
 * and answers searches, scans and key lookups over them with MVCC at the read timestamp, through a
 * segment's vector index where one fits the query and by exact scan elsewhere. The data node's
 * seals, the index node's builds and compaction's swaps reach it through its methods; a mapped
 * segment is unmapped only once the last read using it ends. Reads hold a collection's read lock,
 * applying the log and hand-offs its write lock. It depends on engine.api, msgstream, rootcoord,
 * engine.segment and storage, never on the proxy.
 */
package org.quiver.engine.querynode;
