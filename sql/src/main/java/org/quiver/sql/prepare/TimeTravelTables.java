package org.quiver.sql.prepare;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.TimestampString;
import org.apache.calcite.util.Util;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.schema.QuiverSchema;

/**
 * Resolves the table of {@code FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '...'} to the version of
 * {@code t} that existed then, before Calcite validates the statement: a dropped table kept
 * within the retention window, or the one a name meant before it was dropped and created again.
 * The table reference becomes that version's name ({@link QuiverSchema#versionName}) under the
 * name written (as its alias), so the rest of the query reads as written. A name that meant no
 * table then and means none now fails with 42P01 naming the time. A time given as a parameter is
 * resolved by the engine at execution (it finds the version by name and time).
 */
final class TimeTravelTables extends SqlBasicVisitor<Void> {
  private final Engine engine;
  /** Snapshots already resolved (the visit reaches them again under the alias it adds). */
  private final java.util.Set<SqlSnapshot> resolved =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private TimeTravelTables(Engine engine) {
    this.engine = engine;
  }

  static void resolve(Engine engine, SqlNode statement) {
    statement.accept(new TimeTravelTables(engine));
  }

  @Override
  public Void visit(SqlCall call) {
    List<SqlNode> operands = new ArrayList<>(call.getOperandList());
    for (int i = 0; i < operands.size(); i++) {
      if (operands.get(i) instanceof SqlSnapshot snapshot && resolved.add(snapshot)) {
        Optional<String> version = version(snapshot);
        if (version.isPresent()) {
          SqlIdentifier written = (SqlIdentifier) snapshot.getTableRef();
          snapshot.setOperand(0, written.setName(written.names.size() - 1, version.get()));
          if (call.getKind() != SqlKind.AS) {
            // No alias written: the name written stays the one the query refers to the table by.
            call.setOperand(i, SqlStdOperatorTable.AS.createCall(snapshot.getParserPosition(),
                snapshot, new SqlIdentifier(Util.last(written.names),
                    written.getParserPosition())));
          }
        }
      }
    }
    return super.visit(call);
  }

  /** The version name to read instead of the name written, if not the live table. */
  private Optional<String> version(SqlSnapshot snapshot) {
    if (!(snapshot.getTableRef() instanceof SqlIdentifier id)) {
      return Optional.empty();
    }
    SqlNode period = snapshot.getPeriod();
    if (period instanceof SqlUnknownLiteral unknown && unknown.tag.equalsIgnoreCase("TIMESTAMP")) {
      // The parser leaves typed literals unresolved until validation.
      period = unknown.resolve(SqlTypeName.TIMESTAMP);
    }
    if (!(period instanceof SqlTimestampLiteral literal)) {
      return Optional.empty();
    }
    String name = Util.last(id.names);
    long millis = literal.getValueAs(TimestampString.class).getMillisSinceEpoch();
    Optional<CollectionInfo> then = engine.tableAt(name, millis);
    Optional<CollectionInfo> now = engine.table(name);
    if (then.isEmpty()) {
      if (now.isEmpty() && engine.aliases().get(name) == null) {
        throw QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" did not exist at %s",
            name, Instant.ofEpochMilli(millis));
      }
      return Optional.empty(); // the engine fails with 42P01 at execution if it was not there
    }
    if (now.isPresent() && now.get().id() == then.get().id()) {
      return Optional.empty();
    }
    return Optional.of(QuiverSchema.versionName(then.get()));
  }
}
