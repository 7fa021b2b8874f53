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
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.AlterAliasRequest;
import org.quiver.engine.api.request.CompactRequest;
import org.quiver.engine.api.request.CreateAliasRequest;
import org.quiver.engine.api.request.CreateIndexRequest;
import org.quiver.engine.api.request.CreatePartitionRequest;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.DropAliasRequest;
import org.quiver.engine.api.request.DropIndexRequest;
import org.quiver.engine.api.request.DropPartitionRequest;
import org.quiver.engine.api.request.DropTableRequest;
import org.quiver.engine.api.request.FlushRequest;
import org.quiver.engine.api.request.LoadRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.ReleaseRequest;
import org.quiver.engine.api.request.RenameTableRequest;
import org.quiver.grammar.ParserSettings;
import org.quiver.grammar.QuiverNames;
import org.quiver.grammar.ast.SqlAlterAlias;
import org.quiver.grammar.ast.SqlAlterTablePartition;
import org.quiver.grammar.ast.SqlAlterTableRename;
import org.quiver.grammar.ast.SqlAlterUser;
import org.quiver.grammar.ast.SqlColumnDefinition;
import org.quiver.grammar.ast.SqlCompactTable;
import org.quiver.grammar.ast.SqlCopy;
import org.quiver.grammar.ast.SqlCreateAlias;
import org.quiver.grammar.ast.SqlCreateExtension;
import org.quiver.grammar.ast.SqlCreateIndex;
import org.quiver.grammar.ast.SqlCreateTable;
import org.quiver.grammar.ast.SqlCreateUser;
import org.quiver.grammar.ast.SqlDropAlias;
import org.quiver.grammar.ast.SqlDropIndex;
import org.quiver.grammar.ast.SqlDropTable;
import org.quiver.grammar.ast.SqlDropUser;
import org.quiver.grammar.ast.SqlFlushTable;
import org.quiver.grammar.ast.SqlGrant;
import org.quiver.grammar.ast.SqlLoadTable;
import org.quiver.grammar.ast.SqlReleaseTable;
import org.quiver.grammar.ast.SqlShowSetting;
import org.quiver.grammar.ast.SqlTableOption;
import org.quiver.grammar.ast.SqlTruncateTable;
import org.quiver.grammar.ast.SqlVectorTypeNameSpec;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.grammar.parser.QuiverSqlParserImpl;
import org.quiver.sql.auth.UserStatements;
import org.quiver.sql.copy.CopyCommand;
import org.quiver.sql.schema.QuiverSchema;
import org.quiver.sql.schema.Session;
import org.quiver.sql.schema.SessionSetting;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Executes Quiver's DDL: validates each statement at the boundary, naming the bad value, and
 * turns it into a request to the engine. Calcite calls the {@code execute} method whose
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

  /**
   * PostgreSQL's auto-numbered types; all become a BIGINT key the engine assigns (ids are 64-bit
   * whatever the declared width).
   */
  private static final Set<String> SERIAL_TYPES =
      Set.of("SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL2", "SERIAL4", "SERIAL8");

  /** Most shards (DML channels) a table may have. */
  private static final int MAX_SHARDS = 64;

  private QuiverDdlExecutor() {}

  public void execute(SqlCreateTable create, CalcitePrepare.Context context) {
    TableDefinition table = definition(create);
    engine(context).createTable(new CreateTableRequest(table.name(), table.schema(),
        create.ifNotExists(), table.shards(), table.consistency()));
  }

  /**
   * What a CREATE TABLE statement asks the engine to create.
   *
   * @param name the table's name
   * @param schema its columns, with the hidden row id when it declares no key
   * @param shards its number of DML channels
   * @param consistency the read consistency its reads have unless they choose one
   */
  public record TableDefinition(String name, CollectionSchema schema, int shards,
      ConsistencyLevel consistency) {}

  /** Parses a CREATE TABLE statement and validates it into the table it defines. */
  public static TableDefinition definition(String createTable) {
    SqlNode node;
    try {
      node = SqlParser.create(createTable,
          ParserSettings.CONFIG.withParserFactory(PARSER_FACTORY)).parseStmt();
    } catch (SqlParseException e) {
      throw QuiverException.of(ErrorCode.SYNTAX_ERROR, "%s", e.getMessage());
    }
    if (!(node instanceof SqlCreateTable create)) {
      throw QuiverException.of(ErrorCode.SYNTAX_ERROR, "not a CREATE TABLE statement: %s",
          createTable);
    }
    return definition(create);
  }

  private static TableDefinition definition(SqlCreateTable create) {
    String name = tableName(create.name());
    Set<String> options = new HashSet<>();
    int shards = 1;
    boolean autoId = false;
    ConsistencyLevel consistency = ConsistencyLevel.STRONG;
    for (SqlTableOption option : create.options()) {
      checkOption(option, options);
      if (option.key().getSimple().equalsIgnoreCase("shards")) {
        shards = (int) Options.integer(option, 1, MAX_SHARDS, "a positive integer <= " + MAX_SHARDS);
      } else if (option.key().getSimple().equalsIgnoreCase("consistency_level")) {
        consistency = ConsistencyLevel.ofName(Options.text(option.value()));
      } else if (option.key().getSimple().equalsIgnoreCase("auto_id")) {
        autoId = Options.bool(option);
      }
    }
    List<FieldSchema> fields = new ArrayList<>();
    if (create.tablePrimaryKey().size() > 1) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "composite PRIMARY KEY (%s) is not supported yet; declare one BIGINT or VARCHAR key column",
          String.join(", ", create.tablePrimaryKey().stream().map(SqlIdentifier::getSimple).toList()));
    }
    String tablePk = create.tablePrimaryKey().isEmpty()
        ? null : create.tablePrimaryKey().get(0).getSimple();
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
    if (keys > 1) {
      throw QuiverException.of(ErrorCode.INVALID_TABLE_DEFINITION,
          "table \"%s\" may have one PRIMARY KEY column (BIGINT or VARCHAR), got %d", name, keys);
    }
    if (keys == 0) {
      if (names.contains(FieldSchema.ROW_ID)) {
        throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT,
            "column \"%s\" is the hidden row id of a table without a PRIMARY KEY; "
                + "rename the column or declare a key", FieldSchema.ROW_ID);
      }
      fields.add(FieldSchema.rowId(fields.size() + 1));
    } else if (autoId) {
      fields.replaceAll(f -> f.primaryKey() ? assigned(name, f, "auto_id = true") : f);
    }
    return new TableDefinition(name, new CollectionSchema(fields), shards, consistency);
  }

  /** The key {@code f} with values the engine assigns, as {@code reason} asks. */
  private static FieldSchema assigned(String table, FieldSchema f, String reason) {
    if (f.type() != DataType.INT64) {
      throw QuiverException.of(ErrorCode.INVALID_TABLE_DEFINITION,
          "%s needs a BIGINT primary key; column \"%s\" of table \"%s\" is %s",
          reason, f.name(), table, f.type() == DataType.VARCHAR ? "VARCHAR" : f.type());
    }
    return new FieldSchema(f.id(), f.name(), f.type(), f.dimension(), false, true, true, false);
  }

  private static FieldSchema field(int id, String name, SqlColumnDefinition column, boolean pk) {
    if (column.isSparsevec()) {
      int dim = column.sparsevecDimension();
      if (dim == SparsevecSqlType.ANY_DIMENSION) {
        throw QuiverException.of(ErrorCode.SYNTAX_ERROR,
            "SPARSEVEC needs its dimension, as in SPARSEVEC(30000) (column \"%s\")", name);
      }
      int max = FieldSchema.maxDimension(DataType.SPARSE_FLOAT_VECTOR);
      if (dim < 1 || dim > max) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "SPARSEVEC dimension must be in [1, %d], got %d for column \"%s\"", max, dim, name);
      }
      if (pk) {
        throw QuiverException.of(ErrorCode.INVALID_TABLE_DEFINITION,
            "primary key must be BIGINT or VARCHAR, got SPARSEVEC(%d) for column \"%s\"", dim,
            name);
      }
      return new FieldSchema(id, name, DataType.SPARSE_FLOAT_VECTOR, dim, !column.notNull(),
          false);
    }
    if (column.isBit()) {
      // As in PostgreSQL, a column declared BIT has one bit.
      int length = column.bitLength() == BitSqlType.ANY_LENGTH ? 1 : column.bitLength();
      int max = FieldSchema.maxDimension(DataType.BINARY_VECTOR);
      if (length < 1 || length > max) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "BIT length must be in [1, %d], got %d for column \"%s\"", max, length, name);
      }
      if (pk) {
        throw QuiverException.of(ErrorCode.INVALID_TABLE_DEFINITION,
            "primary key must be BIGINT or VARCHAR, got BIT(%d) for column \"%s\"", length,
            name);
      }
      return new FieldSchema(id, name, DataType.BINARY_VECTOR, length, !column.notNull(),
          false);
    }
    if (column.isVector()) {
      VectorSqlType.Kind kind = column.vectorKind();
      String type = kind.sqlName();
      int dim = column.vectorDimension();
      if (dim == SqlVectorTypeNameSpec.ANY_DIMENSION) {
        throw QuiverException.of(ErrorCode.SYNTAX_ERROR,
            "%s needs its dimension, as in %s(128) (column \"%s\")", type, type, name);
      }
      int max = SqlTypes.maxDimension(kind);
      if (dim < 1 || dim > max) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "%s dimension must be in [1, %d], got %d for column \"%s\"", type, max, dim, name);
      }
      if (pk) {
        throw QuiverException.of(ErrorCode.INVALID_TABLE_DEFINITION,
            "primary key must be BIGINT or VARCHAR, got %s(%d) for column \"%s\"", type, dim,
            name);
      }
      return new FieldSchema(id, name, SqlTypes.storageType(kind), dim, !column.notNull(),
          false);
    }
    String typeName = column.type().getTypeName().getSimple().toUpperCase(Locale.ROOT);
    if (SERIAL_TYPES.contains(typeName)) {
      if (!pk) {
        throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
            "%s is supported only for the PRIMARY KEY column, not for column \"%s\"",
            typeName.toLowerCase(Locale.ROOT), name);
      }
      return new FieldSchema(id, name, DataType.INT64, 0, false, true, true, false);
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
    switch (key) {
      case "shards" -> Options.integer(option, 1, MAX_SHARDS, "a positive integer <= " + MAX_SHARDS);
      case "consistency_level" -> {
        String text = Options.text(value);
        if (ConsistencyLevel.ofName(text) == null) {
          throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
              "consistency_level must be one of strong, session, bounded, eventually; got '%s'",
              text);
        }
      }
      case "auto_id" -> Options.bool(option);
      case "ttl_seconds" -> {
        long ttl = Options.integer(option, 0, Integer.MAX_VALUE, "an integer >= 0 (0: no expiry)");
        if (ttl > 0) {
          throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
              "ttl_seconds = %d is not supported yet; rows do not expire", ttl);
        }
      }
      default -> throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "unknown table option \"%s\"; known options are shards, consistency_level, auto_id, "
              + "ttl_seconds", key);
    }
  }

  public void execute(SqlDropTable drop, CalcitePrepare.Context context) {
    engine(context).dropTable(new DropTableRequest(tableName(drop.name()), drop.ifExists()));
  }

  /**
   * ALTER TABLE ... RENAME TO. A table of {@code sys} is the catalog's and keeps its name (42501);
   * the new name is in the table's schema, so it is never qualified.
   */
  public void execute(SqlAlterTableRename rename, CalcitePrepare.Context context) {
    SqlIdentifier id = rename.table();
    if (id.names.size() == 2 && id.names.get(0).equals(QuiverNames.SYSTEM_SCHEMA)) {
      throw QuiverException.of(ErrorCode.INSUFFICIENT_PRIVILEGE,
          "%s cannot be renamed: the tables of the sys schema belong to the catalog", id);
    }
    engine(context).renameTable(
        new RenameTableRequest(tableName(id), rename.newName().getSimple()));
  }

  public void execute(SqlLoadTable load, CalcitePrepare.Context context) {
    Session session = session(context);
    String table = session.resolveTable(tableName(load.name()));
    List<String> partitions = new ArrayList<>();
    for (SqlIdentifier partition : load.partitions()) {
      checkPartition(session, table, partition.getSimple());
      partitions.add(partition.getSimple());
    }
    session.engine().load(new LoadRequest(table, partitions));
  }

  public void execute(SqlReleaseTable release, CalcitePrepare.Context context) {
    Session session = session(context);
    String table = session.resolveTable(tableName(release.name()));
    List<String> partitions = new ArrayList<>();
    for (SqlIdentifier partition : release.partitions()) {
      checkPartition(session, table, partition.getSimple());
      partitions.add(partition.getSimple());
    }
    session.engine().release(new ReleaseRequest(table, partitions));
  }

  public void execute(SqlFlushTable flush, CalcitePrepare.Context context) {
    Session session = session(context);
    session.engine().flush(
        new FlushRequest(session.resolveTable(tableName(flush.name()))));
  }

  /**
   * TRUNCATE: deletes every row a strong read sees, in one delete at one timestamp, so a read at
   * a later time sees none of them and time travel to an earlier time still sees them all. The
   * table keeps its definition, partitions and indexes.
   */
  public void execute(SqlTruncateTable truncate, CalcitePrepare.Context context) {
    Session session = session(context);
    CollectionInfo table = existingTable(session, truncate.name());
    String key = table.schema().primaryKey().name();
    ResultRows rows = session.engine().query(
        new QueryRequest(table.name(), null, List.of(key), -1),
        new ReadOptions(ConsistencyLevel.STRONG, 0, 0, -1));
    List<Object> keys = new ArrayList<>(rows.rowCount());
    for (int r = 0; r < rows.rowCount(); r++) {
      keys.add(rows.value(0, r));
    }
    session.delete(table.name(), keys);
  }

  public void execute(SqlCopy copy, CalcitePrepare.Context context) {
    CopyCommand.execute(copy, session(context), context);
  }

  public void execute(SqlCompactTable compact, CalcitePrepare.Context context) {
    Session session = session(context);
    session.engine().compact(
        new CompactRequest(existingTable(session, compact.name()).name()));
  }

  public void execute(SqlAlterTablePartition alter, CalcitePrepare.Context context) {
    Session session = session(context);
    CollectionInfo table = existingTable(session, alter.table());
    String partition = alter.partition().getSimple();
    if (alter.add()) {
      session.engine().createPartition(new CreatePartitionRequest(table.name(), partition));
    } else {
      session.engine().dropPartition(new DropPartitionRequest(table.name(), partition));
    }
  }

  public void execute(SqlCreateIndex create, CalcitePrepare.Context context) {
    Session session = session(context);
    CollectionInfo table = existingTable(session, create.table());
    IndexOptions.validate(create, table);
    IndexMethod method = IndexMethod.ofName(IndexOptions.method(create));
    IndexOptions.Values values = IndexOptions.values(create);
    String name = create.name() != null ? create.name().getSimple()
        : indexName(session, table.name(), create.column().getSimple(), create.ifNotExists());
    session.engine().createIndex(new CreateIndexRequest(table.name(), name,
        create.column().getSimple(), method, values.params(), values.efSearch(), values.nprobe(),
        values.rerank(), create.ifNotExists()));
  }

  /**
   * Names an unnamed index as PostgreSQL does: {@code <table>_<column>_idx}, numbered from 1 on
   * if that name is taken. With IF NOT EXISTS the name stays unnumbered, so that running the
   * statement again finds the index it made.
   */
  private static String indexName(Session session, String table, String column,
      boolean ifNotExists) {
    String base = table + "_" + column + "_idx";
    if (ifNotExists) {
      return base;
    }
    Set<String> taken = new HashSet<>();
    for (CollectionInfo t : session.engine().tables()) {
      session.engine().indexes(t.name()).forEach(index -> taken.add(index.name()));
    }
    String name = base;
    for (int n = 1; taken.contains(name); n++) {
      name = base + n;
    }
    return name;
  }

  public void execute(SqlDropIndex drop, CalcitePrepare.Context context) {
    session(context).engine().dropIndex(
        new DropIndexRequest(drop.name().getSimple(), drop.ifExists()));
  }

  /**
   * pgvector's {@code CREATE EXTENSION vector}: the vector type and its functions are built in,
   * so there is nothing to install; any other extension does not exist here.
   */
  public void execute(SqlCreateExtension create, CalcitePrepare.Context context) {
    String name = create.name().getSimple();
    if (!name.equalsIgnoreCase("vector")) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "extension \"%s\" is not available; only \"vector\" (built in) is accepted", name);
    }
  }

  public void execute(SqlCreateAlias create, CalcitePrepare.Context context) {
    session(context).engine().createAlias(
        new CreateAliasRequest(create.alias().getSimple(), tableName(create.table())));
  }

  public void execute(SqlAlterAlias alter, CalcitePrepare.Context context) {
    session(context).engine().alterAlias(
        new AlterAliasRequest(alter.alias().getSimple(), tableName(alter.table())));
  }

  public void execute(SqlDropAlias drop, CalcitePrepare.Context context) {
    session(context).engine().dropAlias(
        new DropAliasRequest(drop.alias().getSimple(), drop.ifExists()));
  }

  public void execute(SqlCreateUser create, CalcitePrepare.Context context) {
    UserStatements.create(create, session(context));
  }

  public void execute(SqlDropUser drop, CalcitePrepare.Context context) {
    UserStatements.drop(drop, session(context));
  }

  public void execute(SqlAlterUser alter, CalcitePrepare.Context context) {
    UserStatements.alter(alter, session(context));
  }

  /** GRANT and REVOKE. */
  public void execute(SqlGrant grant, CalcitePrepare.Context context) {
    UserStatements.grant(grant, session(context));
  }

  /** {@code SET name = value}, {@code RESET name}, {@code RESET ALL}; {@code ALTER SESSION} is the same. */
  public void execute(SqlSetOption set, CalcitePrepare.Context context) {
    if ("SYSTEM".equals(set.getScope())) {
      throw notSupported("ALTER SYSTEM", "settings are per connection; use SET");
    }
    Session session = session(context);
    SqlIdentifier name = set.getName();
    if (set.getValue() == null && name.isSimple() && name.getSimple().equals("ALL")) {
      session.resetAll();
      return;
    }
    SessionSetting setting = SessionSetting.of(SqlShowSetting.settingName(name));
    if (set.getValue() == null) {
      session.reset(setting);
    } else {
      session.set(setting, Options.text(set.getValue()));
    }
  }

  /** Fails with 42704 unless {@code partition} is one of the table's partitions. */
  public static void checkPartition(Session session, String table, String partition) {
    List<String> partitions = session.engine().table(table).isEmpty()
        ? List.of(PartitionInfo.DEFAULT) : session.engine().partitions(table);
    if (!partitions.contains(partition)) {
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "partition \"%s\" does not exist in table \"%s\"; its partitions are %s",
          partition, table, String.join(", ", partitions));
    }
  }

  private static CollectionInfo existingTable(Session session, SqlIdentifier name) {
    String table = session.resolveTable(tableName(name));
    return session.engine().table(table).orElseThrow(() -> QuiverException.of(
        ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", table));
  }

  private static QuiverException notSupported(String statement, String why) {
    return QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
        "%s is not supported yet; %s", statement, why);
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

  private static Engine engine(CalcitePrepare.Context context) {
    return session(context).engine();
  }

  private static Session session(CalcitePrepare.Context context) {
    CalciteSchema schema = context.getRootSchema().getSubSchema(QuiverSchema.NAME, true);
    if (schema == null || !(schema.schema instanceof QuiverSchema quiver)) {
      throw new IllegalStateException("connection has no Quiver schema");
    }
    return quiver.session();
  }
}
