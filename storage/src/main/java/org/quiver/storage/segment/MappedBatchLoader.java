package org.quiver.storage.segment;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OwnershipTransferResult;
import org.apache.arrow.memory.ReferenceManager;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Loads the record batches of an Arrow IPC file that is mapped in memory into a root in place:
 * each buffer of a loaded batch is an {@link ArrowBuf} pointing into the mapping, so loading a
 * batch copies none of its body, where Arrow's file reader reads the whole body into fresh buffers.
 *
 * <p>The mapping's arena owns the memory; the caller keeps it open while the root's vectors are
 * read. Every offset and length taken from the file is checked against the mapping before it is
 * used, and a failed check is a {@link CorruptSegmentException}.
 */
final class MappedBatchLoader {
  private final Path file;
  private final MemorySegment bytes;
  private final VectorLoader loader;
  private final ReferenceManager mapping;

  /**
   * @param bytes the whole file, mapped and verified
   * @param root the root the batches are loaded into, with the file's schema
   * @param allocator the allocator of {@code root}, which Arrow asks for when it rebuilds a
   *     validity buffer a batch left out (a column without nulls)
   */
  MappedBatchLoader(Path file, MemorySegment bytes, VectorSchemaRoot root,
      BufferAllocator allocator) {
    this.file = file;
    this.bytes = bytes;
    this.loader = new VectorLoader(root);
    this.mapping = new ArenaOwned(allocator);
  }

  /**
   * Loads the record batch at {@code block} into the root.
   *
   * @return the batch's metadata, which says where in the body each buffer lies
   */
  RecordBatch load(ArrowBlock block) throws IOException {
    long metadataAt = block.getOffset();
    long bodyAt = metadataAt + block.getMetadataLength();
    long bodyLength = block.getBodyLength();
    if (metadataAt < 0 || block.getMetadataLength() <= 0 || bodyLength < 0
        || bodyAt > bytes.byteSize() || bodyLength > bytes.byteSize() - bodyAt) {
      throw new CorruptSegmentException(file, "record batch at " + metadataAt + " ("
          + block.getMetadataLength() + " bytes of metadata, " + bodyLength
          + " of body) does not lie within the file's " + bytes.byteSize() + " bytes");
    }
    MessageMetadataResult message = MessageSerializer.readMessage(new ReadChannel(
        new SegmentIo.MemorySegmentChannel(bytes.asSlice(metadataAt, block.getMetadataLength()))));
    if (message == null || message.getMessage().headerType() != MessageHeader.RecordBatch) {
      throw new CorruptSegmentException(file, "block at " + metadataAt
          + " is not a record batch");
    }
    RecordBatch batch = (RecordBatch) message.getMessage().header(new RecordBatch());
    if (batch.compression() != null) {
      throw new CorruptSegmentException(file, "record batch at " + metadataAt
          + " is compressed; version " + SegmentFiles.VERSION + " files are not");
    }
    ArrowBuf body = new ArrowBuf(mapping, null, bodyLength, bytes.address() + bodyAt);
    // Deserializing slices the body, and ArrowBuf.slice rejects a buffer outside it.
    try (ArrowRecordBatch loaded = MessageSerializer.deserializeRecordBatch(batch, body)) {
      loader.load(loaded);
    }
    return batch;
  }

  /**
   * The reference manager of buffers over mapped bytes: the arena frees them, so there is
   * nothing to count, and a slice is a buffer at its own address (Arrow's
   * {@link ReferenceManager#NO_OP} hands back the whole buffer as every slice of it).
   */
  private record ArenaOwned(BufferAllocator allocator) implements ReferenceManager {
    @Override
    public int getRefCount() {
      return 1;
    }

    @Override
    public boolean release() {
      return false;
    }

    @Override
    public boolean release(int decrement) {
      return false;
    }

    @Override
    public void retain() {}

    @Override
    public void retain(int increment) {}

    @Override
    public ArrowBuf retain(ArrowBuf source, BufferAllocator target) {
      return source;
    }

    @Override
    public ArrowBuf deriveBuffer(ArrowBuf source, long index, long length) {
      return new ArrowBuf(this, null, length, source.memoryAddress() + index);
    }

    @Override
    public OwnershipTransferResult transferOwnership(ArrowBuf source, BufferAllocator target) {
      throw new UnsupportedOperationException(
          "buffers over a mapped file stay with the file's arena; copy them instead");
    }

    @Override
    public BufferAllocator getAllocator() {
      return allocator;
    }

    @Override
    public long getSize() {
      return 0;
    }

    @Override
    public long getAccountedSize() {
      return 0;
    }
  }
}
