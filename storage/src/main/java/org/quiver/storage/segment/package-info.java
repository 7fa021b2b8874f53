/**
 * The on-disk format of a sealed segment, owned here and nowhere else: {@link SegmentFiles} writes
 * and reads the Arrow IPC data file and the delete log, {@link PrimaryKeyStats} the key statistics
 * (the key range and a {@link BloomFilter}), and {@link SegmentManifest} the table of contents
 * with each file's size and CRC32C, written last so that its presence means the segment is
 * complete. Each layout is documented on its class; readers verify sizes and checksums before
 * parsing and throw {@link CorruptSegmentException} otherwise. Where a segment lives and when it
 * is written are the engine's business ({@code engine.segment}); index files inside a segment
 * belong to storage.index.
 */
package org.quiver.storage.segment;
