package org.quiver.sql.flight;

import org.apache.arrow.flight.FlightProducer.StreamListener;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/** The answer to a Flight SQL DoPut that changed rows: their count, then the end of the call. */
final class UpdateCounts {
  private UpdateCounts() {}

  static void acknowledge(BufferAllocator allocator, StreamListener<PutResult> ack, long count) {
    byte[] bytes = FlightSql.DoPutUpdateResult.newBuilder().setRecordCount(count).build()
        .toByteArray();
    try (ArrowBuf buf = allocator.buffer(bytes.length)) {
      buf.writeBytes(bytes);
      ack.onNext(PutResult.metadata(buf));
    }
    ack.onCompleted();
  }
}
