/**
 * The engine assembled: {@link Quiver}, the {@link org.quiver.engine.api.Engine} of this process
 * ({@link LocalEngineProvider} registers it, so callers open it with {@code Engine.open}), opens
 * one data directory ({@code meta/}, {@code mq/}, {@code segments/}) and wires Milvus's roles
 * inside one JVM, configured by {@link org.quiver.engine.api.QuiverConfig}: the root coordinator's
 * catalog and timestamp oracle, the log, a data node, a query node, an index node and the proxy in
 * front of them. Opening recovers: multi-step DDL a crash interrupted is finished or undone first,
 * then the data node replays each channel from its checkpoint and the query node loads what was
 * loaded. Only one engine may open a directory at a time (RocksDB's lock). {@link DataCheck}
 * verifies a directory no engine has open. The engine never sees SQL text or a Calcite class (the
 * build enforces it); requests reach it through engine.api and then the proxy.
 */
package org.quiver.engine;
