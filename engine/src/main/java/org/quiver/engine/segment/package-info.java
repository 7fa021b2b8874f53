/**
 * Sealed segments as the engine keeps them: {@link SegmentStore} decides where a segment lives
 * ({@code segments/<collection>/<partition>/<id>/}), writes its files through storage.segment with
 * the manifest last, reads them back verified or mapped in place, and at start-up removes folders
 * the catalog does not list. {@link DamageLog} remembers files that failed their check, so that
 * reads of that table fail instead of answering from part of it. The data node and compaction
 * write here, the query node and the index node read; the file formats belong to storage.segment.
 * With an object store ({@code QuiverConfig.segments}), {@link SegmentObjects} makes the local
 * folders a cache of it: each folder is uploaded before the catalog records it, fetched whole
 * when the cache lacks it, and deleted with its folder; the store is used nowhere else.
 */
package org.quiver.engine.segment;
