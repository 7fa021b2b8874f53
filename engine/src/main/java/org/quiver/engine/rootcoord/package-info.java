/**
 * Milvus's root coordinator, the catalog and the clock: {@link MetaTable} holds collections,
 * partitions, segments, channel checkpoints and aliases in memory over the KV store,
 * {@link IndexCatalog} the declared and built indexes; every change is written durably first and
 * published in memory second, so memory never runs ahead of disk. {@link Tso} hands out strictly
 * increasing hybrid timestamps, also across restarts, {@link IdAllocator} ids that are never
 * reused, and {@link DdlJournal} keeps the plan of multi-step DDL so that a crash leaves no
 * half-made table. This package owns the catalog's key layout and its versioned JSON records; it
 * depends only on storage and on engine.api, whose catalog records it keeps.
 */
package org.quiver.engine.rootcoord;
