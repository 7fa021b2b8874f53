package org.quiver.storage.segment;

import java.util.Objects;
import org.quiver.storage.schema.DataType;

/**
 * The deletes that apply to a sealed segment: primary key i was deleted at timestamp {@code ts[i]}.
 *
 * @param pkType {@link DataType#INT64} (keys are {@link Long}) or {@link DataType#VARCHAR}
 *     ({@link String})
 */
public record DeleteLog(DataType pkType, Object[] pks, long[] ts) {

  public DeleteLog {
    Objects.requireNonNull(pkType, "pkType");
    if (pkType != DataType.INT64 && pkType != DataType.VARCHAR) {
      throw new IllegalArgumentException("primary key must be INT64 or VARCHAR, got " + pkType);
    }
    if (pks.length != ts.length) {
      throw new IllegalArgumentException(pks.length + " keys for " + ts.length + " timestamps");
    }
  }

  public int size() {
    return pks.length;
  }
}
