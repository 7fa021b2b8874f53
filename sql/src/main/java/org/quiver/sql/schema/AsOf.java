package org.quiver.sql.schema;

import java.sql.Timestamp;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/** Evaluates the TIMESTAMP of {@code FOR SYSTEM_TIME AS OF} to milliseconds since the epoch (UTC). */
final class AsOf {
  private AsOf() {}

  static long millis(RexNode period, DataContext context, String table) {
    if (period instanceof RexLiteral literal) {
      Long millis = literal.getValueAs(Long.class);
      if (millis != null) {
        return millis;
      }
    } else if (period instanceof RexDynamicParam param) {
      Object value = context.get("?" + param.getIndex());
      if (value instanceof Timestamp ts) {
        return ts.getTime();
      }
      if (value instanceof Number n) {
        return n.longValue();
      }
    } else if (period instanceof RexCall call && call.getKind() == SqlKind.CAST) {
      return millis(call.getOperands().get(0), context, table);
    }
    throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
        "FOR SYSTEM_TIME AS OF on table \"%s\" takes a TIMESTAMP literal or parameter, not %s",
        table, period);
  }
}
