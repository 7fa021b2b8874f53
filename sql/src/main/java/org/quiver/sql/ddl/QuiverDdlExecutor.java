package org.quiver.sql.ddl;

import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.server.DdlExecutor;
import org.apache.calcite.server.DdlExecutorImpl;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.proxy.Proxy;
import org.quiver.grammar.ast.SqlColumnDefinition;
import org.quiver.grammar.ast.SqlCreateTable;
import org.quiver.grammar.ast.SqlDropTable;
import org.quiver.grammar.ast.SqlFlushTable;
import org.quiver.grammar.ast.SqlLoadTable;
import org.quiver.grammar.ast.SqlReleaseTable;
import org.quiver.grammar.ast.SqlTableOption;
import org.quiver.grammar.parser.QuiverSqlParserImpl;
import org.quiver.sql.schema.QuiverSchema;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Executes Quiver's DDL: validates each statement at the boundary, naming the bad value, and
 * turns it into a request to the engine's proxy. Calcite calls the {@code execute} method whose
 * parameter type matches the statement.
 */
public final class QuiverDdlExecutor extends DdlExecutorImpl {
  public static final QuiverDdlExecutor INSTANCE = new QuiverDdlExecutor();

  /** Quiver's parser with this executor: the {@code parserFactory} of every connection. */
  public static final SqlParserImplFactory PARSER_FACTORY = new SqlParserImplFactory() {
    @Override
    public SqlAbstractParserImpl getParser(Reader stream) {
      return QuiverSqlParserImpl.FACTORY.getParser(stream);
    }

    @Override
    public DdlExecutor getDdlExecutor() {
      return INSTANCE;
    }
  };

  private QuiverDdlExecutor() {}

  public void execute(SqlCreateTable create, CalcitePrepare.Context context) {
    String name = tableName(create.name());
    Set<String> options = new HashSet<>();
    for (SqlTableOption option : create.options()) {
      checkOption(option, options);
    }
    List<FieldSchema> fields = new ArrayList<>();
    String tablePk = create.tablePrimaryKey() == null ? null : tableName(create.tablePrimaryKey());
    Set<String> names = new HashSet<>();
    for (SqlColumnDefinition column : create.columns()) {
      String columnName = column.name().getSimple();
      if (!names.add(columnName)) {
        throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT,
            "column \"%s\" specified more than once", columnName);
      }
      boolean pk = column.primaryKey() || columnName.equals(tablePk);
      fields.add(field(fields.size() + 1, columnName, column, pk));
    }
    if (tablePk != null && !names.contains(tablePk)) {
      throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
          "column \"%s\" named in PRIMARY KEY does not exist", tablePk);
    }
    long keys = fields.stream().filter(FieldSchema::primaryKey).count();
    if (keys != 1) {
      throw QuiverException.of(ErrorCode.INVALID_TABLE_DEFINITION,
          "table \"%s\" needs exactly one PRIMARY KEY column (BIGINT or VARCHAR), got %d",
          name, keys);
    }
    proxy(context).createCollection(name, new CollectionSchema(fields), create.ifNotExists());
  }

  private static FieldSchema field(int id, String name, SqlColumnDefinition column, boolean pk) {
    if (column.isVector()) {
      int dim = column.vectorDimension();
      if (dim < 1 || dim > FieldSchema.MAX_DIMENSION) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "VECTOR dimension must be in [1, %d], got %d for column \"%s\"",
            FieldSchema.MAX_DIMENSION, dim, name);
      }
      if (pk) {
        throw QuiverException.of(ErrorCode.INVALID_TABLE_DEFINITION,
            "primary key must be BIGINT or VARCHAR, got VECTOR(%d) for column \"%s\"", dim, name);
      }
      return new FieldSchema(id, name, DataType.FLOAT_VECTOR, dim, false, false);
    }
    String typeName = column.type().getTypeName().getSimple().toUpperCase(Locale.ROOT);
    if (typeName.equals("VECTOR")) {
      throw QuiverException.of(ErrorCode.SYNTAX_ERROR,
          "VECTOR needs its dimension, as in VECTOR(128) (column \"%s\")", name);
    }
    SqlTypeName sqlType = SqlTypeName.get(typeName);
    if (sqlType == null) {
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "type \"%s\" does not exist (column \"%s\")", typeName.toLowerCase(Locale.ROOT), name);
    }
    DataType type = SqlTypes.storageType(sqlType);
    if (type == null) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "column type %s is not supported yet (column \"%s\")", typeName, name);
    }
    if (pk && type != DataType.INT64 && type != DataType.VARCHAR) {
      throw QuiverException.of(ErrorCode.INVALID_TABLE_DEFINITION,
          "primary key must be BIGINT or VARCHAR, got %s for column \"%s\"", typeName, name);
    }
    int length = 0;
    if (type == DataType.VARCHAR
        && column.type().getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic
        && basic.getPrecision() > 0) {
      length = basic.getPrecision();
    }
    return new FieldSchema(id, name, type, length, !pk && !column.notNull(), pk);
  }

  private static void checkOption(SqlTableOption option, Set<String> seen) {
    String key = option.key().getSimple().toLowerCase(Locale.ROOT);
    if (!seen.add(key)) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "table option \"%s\" is given twice", key);
    }
    SqlNode value = option.value();
    String text = value instanceof SqlLiteral lit ? lit.toValue() : value.toString();
    switch (key) {
      case "shards" -> {
        int shards;
        try {
          shards = value instanceof SqlLiteral ? Integer.parseInt(text) : -1;
        } catch (NumberFormatException e) {
          shards = -1;
        }
        if (shards < 1) {
          throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
              "shards must be a positive integer, got %s", value);
        }
        if (shards > 1) {
          throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
              "shards = %d is not supported yet; tables have 1 shard", shards);
        }
      }
      case "consistency_level" -> {
        String level = text == null ? "" : text.toLowerCase(Locale.ROOT);
        switch (level) {
          case "strong" -> { }
          case "session", "bounded", "eventually" -> throw QuiverException.of(
              ErrorCode.FEATURE_NOT_SUPPORTED,
              "consistency_level = '%s' is not supported yet; reads are strong", level);
          default -> throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
              "consistency_level must be one of strong, session, bounded, eventually; got '%s'",
              text);
        }
      }
      case "auto_id" -> throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "auto_id is not supported yet; give the primary key in each INSERT");
      default -> throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "unknown table option \"%s\"; known options are shards, consistency_level, auto_id",
          key);
    }
  }

  public void execute(SqlDropTable drop, CalcitePrepare.Context context) {
    proxy(context).dropCollection(tableName(drop.name()), drop.ifExists());
  }

  public void execute(SqlLoadTable load, CalcitePrepare.Context context) {
    proxy(context).load(tableName(load.name()));
  }

  public void execute(SqlReleaseTable release, CalcitePrepare.Context context) {
    proxy(context).release(tableName(release.name()));
  }

  public void execute(SqlFlushTable flush, CalcitePrepare.Context context) {
    proxy(context).flush(tableName(flush.name()));
  }

  private static String tableName(SqlIdentifier id) {
    if (id.names.size() == 2 && !id.names.get(0).equals(QuiverSchema.NAME)) {
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "schema \"%s\" does not exist; tables live in schema %s", id.names.get(0),
          QuiverSchema.NAME);
    }
    if (id.names.size() > 2) {
      throw QuiverException.of(ErrorCode.SYNTAX_ERROR, "improper table name %s", id);
    }
    return id.names.get(id.names.size() - 1);
  }

  private static Proxy proxy(CalcitePrepare.Context context) {
    CalciteSchema schema = context.getRootSchema().getSubSchema(QuiverSchema.NAME, true);
    if (schema == null || !(schema.schema instanceof QuiverSchema quiver)) {
      throw new IllegalStateException("connection has no Quiver schema");
    }
    return quiver.session().proxy();
  }
}
