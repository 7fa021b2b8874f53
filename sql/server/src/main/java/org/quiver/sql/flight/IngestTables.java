package org.quiver.sql.flight;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.BaseListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The CREATE TABLE statement that Flight SQL bulk ingest runs for a table it must create (ADBC's
 * modes {@code create}, {@code create_append} and {@code replace}), from the Arrow schema of the
 * data: {@code FixedSizeList<Float4|Float8>(n)} and a list of floats of one length are
 * {@code VECTOR(n)}, other Arrow types the nearest SQL type, a non-nullable field NOT NULL.
 *
 * <p>The primary key is the column that the ingest option {@link #PRIMARY_KEY_OPTION} names, or
 * the field whose metadata has {@link #PRIMARY_KEY_METADATA} {@code = true}; without one the
 * table gets a hidden row id, and with two fields marked the statement is refused with 42P16.
 */
final class IngestTables {
  /** The ingest option (Flight SQL's {@code CommandStatementIngest.options}) naming the key. */
  static final String PRIMARY_KEY_OPTION = "primary_key";
  /** The field metadata key that marks the primary key column. */
  static final String PRIMARY_KEY_METADATA = "quiver:primary_key";
  /** The field metadata key under which Quiver's own exports give a column's SQL type. */
  static final String TYPE_METADATA = "quiver:type";

  private IngestTables() {}

  /**
   * The CREATE TABLE statement for {@code table}.
   *
   * @param first the first batch of the data (a list column's vector length is read from it),
   *     or null when the data has no batch
   */
  static String createStatement(String table, Schema schema, VectorSchemaRoot first,
      Map<String, String> options) {
    String key = primaryKey(table, schema, options);
    List<String> columns = new ArrayList<>();
    for (Field f : schema.getFields()) {
      String column = quote(f.getName()) + " " + sqlType(table, f, first);
      if (f.getName().equals(key)) {
        column += " PRIMARY KEY";
      } else if (!f.isNullable()) {
        column += " NOT NULL";
      }
      columns.add(column);
    }
    return "CREATE TABLE " + quote(table) + " (" + String.join(", ", columns) + ")";
  }

  private static String primaryKey(String table, Schema schema, Map<String, String> options) {
    String named = options.get(PRIMARY_KEY_OPTION);
    if (named != null) {
      if (schema.getFields().stream().noneMatch(f -> f.getName().equals(named))) {
        throw FlightErrors.error("42703", "ingest option " + PRIMARY_KEY_OPTION + " names column \""
            + named + "\", which the data of table \"" + table + "\" does not have");
      }
      return named;
    }
    List<String> marked = schema.getFields().stream()
        .filter(f -> f.getMetadata() != null
            && "true".equalsIgnoreCase(f.getMetadata().get(PRIMARY_KEY_METADATA)))
        .map(Field::getName).toList();
    if (marked.size() <= 1) {
      // No key named: the table gets a hidden row id, as CREATE TABLE without PRIMARY KEY does.
      return marked.isEmpty() ? null : marked.get(0);
    }
    throw FlightErrors.error("42P16", "cannot create table \"" + table + "\" from the ingested "
        + "data: " + marked.size() + " columns " + marked + " as primary key; give one with the"
        + " ingest option " + PRIMARY_KEY_OPTION + "=<column>, mark one field with the metadata "
        + PRIMARY_KEY_METADATA + "=true (a BIGINT or VARCHAR column), or mark none for a hidden"
        + " row id");
  }

  private static String sqlType(String table, Field f, VectorSchemaRoot first) {
    String declared = f.getMetadata() == null ? null : f.getMetadata().get(TYPE_METADATA);
    if (declared != null) {
      return declared;
    }
    ArrowType type = f.getType();
    return switch (type) {
      case ArrowType.Bool _ -> "BOOLEAN";
      case ArrowType.Int i when i.getIsSigned() -> switch (i.getBitWidth()) {
        case 8 -> "TINYINT";
        case 16 -> "SMALLINT";
        case 32 -> "INTEGER";
        default -> "BIGINT";
      };
      case ArrowType.Int i when i.getBitWidth() < 64 -> i.getBitWidth() == 32 ? "BIGINT"
          : i.getBitWidth() == 16 ? "INTEGER" : "SMALLINT";
      case ArrowType.FloatingPoint p -> p.getPrecision() == FloatingPointPrecision.DOUBLE
          ? "DOUBLE" : "REAL";
      case ArrowType.Utf8 _ -> "VARCHAR";
      case ArrowType.LargeUtf8 _ -> "VARCHAR";
      case ArrowType.Utf8View _ -> "VARCHAR";
      case ArrowType.Timestamp _ -> "TIMESTAMP";
      case ArrowType.FixedSizeList l when floats(f) -> "VECTOR(" + l.getListSize() + ")";
      case ArrowType.List _ when floats(f) -> "VECTOR(" + listLength(table, f, first) + ")";
      case ArrowType.LargeList _ when floats(f) -> "VECTOR(" + listLength(table, f, first) + ")";
      default -> throw FlightErrors.error("0A000", "cannot create table \"" + table
          + "\" from the ingested data: column \"" + f.getName() + "\" has Arrow type " + type
          + ", which no Quiver column type holds");
    };
  }

  private static boolean floats(Field list) {
    return list.getChildren().size() == 1
        && list.getChildren().get(0).getType() instanceof ArrowType.FloatingPoint;
  }

  /** The length every non-null list of the first batch has: the vector's dimension. */
  private static int listLength(String table, Field f, VectorSchemaRoot first) {
    FieldVector vector = first == null ? null : first.getVector(f.getName());
    int length = -1;
    if (vector instanceof BaseListVector lists) {
      for (int r = 0; r < first.getRowCount(); r++) {
        if (lists.isNull(r)) {
          continue;
        }
        int n = lists.getElementEndIndex(r) - lists.getElementStartIndex(r);
        if (length >= 0 && n != length) {
          throw FlightErrors.error("22000", "cannot create table \"" + table + "\": the lists of"
              + " column \"" + f.getName() + "\" have lengths " + length + " and " + n
              + " (row " + (r + 1) + "); a VECTOR column needs one dimension");
        }
        length = n;
      }
    }
    if (length <= 0) {
      throw FlightErrors.error("22000", "cannot create table \"" + table + "\": column \""
          + f.getName() + "\" is a list with no non-empty value in the first batch, so its"
          + " vector dimension is unknown; send fixed_size_list<float32>[n]");
    }
    return length;
  }

  /** {@code name} as a quoted SQL identifier. */
  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
