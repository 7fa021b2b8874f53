package org.quiver.sql.copy;

import java.util.Optional;
import java.util.ServiceLoader;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/** Finds the {@link ParquetFormat} on the class path, once: the class path does not change. */
final class ParquetFormats {
  private static final Optional<ParquetFormat> INSTALLED =
      ServiceLoader.load(ParquetFormat.class).findFirst();

  private ParquetFormats() {}

  /** The installed implementation; 0A000 naming the missing module when there is none. */
  static ParquetFormat installed() {
    return INSTALLED.orElseThrow(() -> QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
        "COPY of Parquet files needs the quiver-parquet module on the class path"));
  }
}
