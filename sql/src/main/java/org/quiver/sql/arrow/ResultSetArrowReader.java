package org.quiver.sql.arrow;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.engine.api.Engine;

/**
 * A JDBC result as an {@link ArrowReader}, batch by batch with the types of {@link ArrowTypes}
 * as a Parquet file takes them ({@link ArrowTypes#forParquet}: vectors as lists of floats), for
 * COPY TO a Parquet file.
 */
public final class ResultSetArrowReader extends ArrowReader {
  private final ResultSet rs;
  private final Schema schema;
  private final int batchRows;
  private boolean[] more;
  private long rows;

  public ResultSetArrowReader(BufferAllocator allocator, ResultSet rs, Engine engine)
      throws SQLException {
    super(allocator);
    this.rs = rs;
    this.schema = ArrowTypes.forParquet(ArrowTypes.schema(rs.getMetaData(), engine));
    this.batchRows = ResultSetBatches.batchRows(schema);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    try {
      if (more == null) {
        more = new boolean[] {rs.next()};
      }
      if (!more[0]) {
        return false;
      }
      rows += ResultSetBatches.fill(getVectorSchemaRoot(), rs, batchRows, more);
      return true;
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Rows read so far. */
  public long rows() {
    return rows;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {}

  @Override
  protected Schema readSchema() {
    return schema;
  }
}
