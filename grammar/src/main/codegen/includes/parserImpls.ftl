<#--
  Quiver's productions, included into Calcite's Parser.jj by config.fmpp. Each one is reached
  through an extension point named in config.fmpp; none of Calcite's productions is changed.
-->

/**
 * Parses {@code SHOW TABLES}, {@code SHOW PARTITIONS | INDEXES | SEGMENTS FROM name},
 * {@code SHOW CHANNELS [FROM name]}, {@code SHOW ALL} and {@code SHOW setting}, where a setting's
 * name may be dotted as pgvector's {@code hnsw.ef_search}. The listing words are non-reserved, so
 * they are tried before a setting's name.
 */
SqlNode QuiverShow() :
{
    final Span s;
    final SqlShowTableObjects.Subject subject;
    final SqlIdentifier name;
}
{
    <SHOW> { s = span(); }
    (
        LOOKAHEAD(1) <TABLES> { return new SqlShowTables(s.end(this)); }
    |
        LOOKAHEAD(1) <CHANNELS>
        (
            <FROM> name = CompoundIdentifier()
            {
                return new SqlShowTableObjects(s.end(this),
                    SqlShowTableObjects.Subject.CHANNELS, name);
            }
        |
            { return new SqlShowChannels(s.end(this)); }
        )
    |
        LOOKAHEAD(1)
        (
            <PARTITIONS> { subject = SqlShowTableObjects.Subject.PARTITIONS; }
        |
            <INDEXES> { subject = SqlShowTableObjects.Subject.INDEXES; }
        |
            <SEGMENTS> { subject = SqlShowTableObjects.Subject.SEGMENTS; }
        )
        <FROM> name = CompoundIdentifier()
        {
            return new SqlShowTableObjects(s.end(this), subject, name);
        }
    |
        <ALL> { return new SqlShowSetting(s.end(this), null); }
    |
        name = CompoundIdentifier() { return new SqlShowSetting(s.end(this), name); }
    )
}

/**
 * Parses {@code EXPLAIN PLAN [detail] [depth] [AS format] FOR} followed by one of Quiver's queries
 * of the catalog (SHOW, DESCRIBE), which Calcite's EXPLAIN does not know. Every other EXPLAIN is
 * Calcite's: the semantic lookahead is also evaluated while SqlStmt() looks two tokens ahead, so
 * this production is only chosen for the forms it parses, and its second branch is never taken.
 */
SqlNode QuiverExplain() :
{
    final Span s;
    final SqlNode stmt;
    SqlExplainLevel detailLevel = SqlExplainLevel.EXPPLAN_ATTRIBUTES;
    final SqlExplain.Depth depth;
    SqlExplainFormat format = SqlExplainFormat.TEXT;
}
{
    <EXPLAIN> { s = span(); }
    (
        LOOKAHEAD({ QuiverLookahead.explainsQuiverQuery(this) })
        <PLAN>
        [ detailLevel = ExplainDetailLevel() ]
        depth = ExplainDepth()
        [
            <AS>
            (
                <XML> { format = SqlExplainFormat.XML; }
            |
                <JSON> { format = SqlExplainFormat.JSON; }
            |
                <DOT_FORMAT> { format = SqlExplainFormat.DOT; }
            )
        ]
        <FOR>
        ( stmt = QuiverShow() | stmt = QuiverDescribeTable() )
        {
            return new SqlExplain(s.end(this), stmt,
                detailLevel.symbol(SqlParserPos.ZERO),
                depth.symbol(SqlParserPos.ZERO),
                format.symbol(SqlParserPos.ZERO),
                nDynamicParams);
        }
    |
        LOOKAHEAD({ false }) <PLAN> { throw generateParseException(); }
    )
}

/**
 * Parses {@code DESCRIBE [TABLE] name}.
 *
 * <p>A name that starts with DATABASE, CATALOG, SCHEMA or STATEMENT is left to Calcite's own
 * DESCRIBE, as are {@code DESCRIBE <query>} forms, which do not start with a name. The semantic
 * lookahead is also evaluated while SqlStmt() looks two tokens ahead, so Calcite's DESCRIBE sees
 * those forms. Quiver's SqlDescribeTable is named in full: Calcite's has the same simple name.
 */
SqlNode QuiverDescribeTable() :
{
    final Span s;
    final SqlIdentifier table;
}
{
    <DESCRIBE> { s = span(); }
    (
        <TABLE> table = CompoundIdentifier()
    |
        LOOKAHEAD({ getToken(1).kind != DATABASE
            && getToken(1).kind != CATALOG
            && getToken(1).kind != SCHEMA
            && getToken(1).kind != STATEMENT })
        table = CompoundIdentifier()
    )
    {
        return new org.quiver.grammar.ast.SqlDescribeTable(s.end(table), table);
    }
}

/**
 * Parses {@code LOAD TABLE name [PARTITION (partition, ...)]}, {@code RELEASE TABLE name},
 * {@code FLUSH TABLE name} and {@code COMPACT TABLE name}.
 */
/**
 * Parses the partitions of {@code LOAD TABLE ... PARTITION} and {@code RELEASE TABLE ... PARTITION}:
 * {@code (p1, p2)} or {@code p1, p2}.
 */
void QuiverPartitionNames(List<SqlIdentifier> partitions) :
{
    SqlIdentifier partition;
}
{
    (
        <LPAREN>
        partition = SimpleIdentifier() { partitions.add(partition); }
        ( <COMMA> partition = SimpleIdentifier() { partitions.add(partition); } )*
        <RPAREN>
    |
        partition = SimpleIdentifier() { partitions.add(partition); }
        ( <COMMA> partition = SimpleIdentifier() { partitions.add(partition); } )*
    )
}

SqlNode QuiverTableCommand() :
{
    final Span s;
    final SqlIdentifier table;
    final List<SqlIdentifier> partitions = new ArrayList<SqlIdentifier>();
    SqlIdentifier partition;
}
{
    <LOAD> { s = span(); } <TABLE> table = CompoundIdentifier()
    [ <PARTITION> QuiverPartitionNames(partitions) ]
    {
        return new SqlLoadTable(s.end(this), table, partitions);
    }
|
    <RELEASE> { s = span(); } <TABLE> table = CompoundIdentifier()
    [ <PARTITION> QuiverPartitionNames(partitions) ]
    {
        return new SqlReleaseTable(s.end(this), table, partitions);
    }
|
    <FLUSH> { s = span(); } <TABLE> table = CompoundIdentifier()
    {
        return new SqlFlushTable(s.end(table), table);
    }
|
    <COMPACT> { s = span(); } <TABLE> table = CompoundIdentifier()
    {
        return new SqlCompactTable(s.end(table), table);
    }
}

/**
 * Parses {@code COPY table [(column, ...)] FROM 'path' [WITH (...)]}, {@code COPY table TO 'path'
 * [WITH (...)]} and {@code COPY (query) TO 'path' [WITH (...)]}.
 */
SqlNode QuiverCopy() :
{
    final Span s;
    SqlIdentifier table = null;
    SqlNodeList columns = null;
    SqlNode query = null;
    final String path;
    final boolean from;
    final List<SqlTableOption> copyOptions = new ArrayList<SqlTableOption>();
}
{
    <COPY> { s = span(); }
    (
        table = CompoundIdentifier()
        [ columns = ParenthesizedSimpleIdentifierList() ]
        ( <FROM> { from = true; } | <TO> { from = false; } )
    |
        <LPAREN> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) <RPAREN>
        <TO> { from = false; }
    )
    path = SimpleStringLiteral()
    [ <WITH> AddQuiverTableOptions(copyOptions) ]
    {
        return new SqlCopy(s.end(this), table, columns, query, path, from, copyOptions);
    }
}

/**
 * Parses {@code ALTER TABLE name ADD | DROP PARTITION partition}, {@code ALTER TABLE name RENAME TO
 * new_name} (PostgreSQL's form) and {@code ALTER ALIAS alias FOR table}. Calcite's own ALTER needs SYSTEM or SESSION as its second word, so the two never meet.
 */
SqlNode QuiverAlter() :
{
    final Span s;
    final SqlIdentifier table;
    final SqlIdentifier alias;
    final SqlIdentifier partition;
    final SqlIdentifier newName;
    final boolean add;
}
{
    <ALTER> { s = span(); }
    (
        <TABLE> table = CompoundIdentifier()
        (
            ( <ADD> { add = true; } | <DROP> { add = false; } )
            <PARTITION> partition = SimpleIdentifier()
            {
                return new SqlAlterTablePartition(s.end(this), table, add, partition);
            }
        |
            <RENAME> <TO> newName = SimpleIdentifier()
            {
                return new SqlAlterTableRename(s.end(this), table, newName);
            }
        )
    |
        <ALIAS> alias = SimpleIdentifier() <FOR> table = CompoundIdentifier()
        {
            return new SqlAlterAlias(s.end(this), alias, table);
        }
    )
}

/**
 * Parses the rest of {@code CREATE TABLE [IF NOT EXISTS] name (column, ... [, PRIMARY KEY (column,
 * ...)]) [WITH (key = value, ...)]}, after {@code CREATE}. A composite key parses, so that the SQL
 * layer can say it is not supported.
 */
SqlCreate QuiverCreateTable(Span s, boolean replace) :
{
    boolean ifNotExists = false;
    final SqlIdentifier name;
    final List<SqlColumnDefinition> columns = new ArrayList<SqlColumnDefinition>();
    final List<SqlIdentifier> primaryKey = new ArrayList<SqlIdentifier>();
    SqlIdentifier key;
    final List<SqlTableOption> tableOptions = new ArrayList<SqlTableOption>();
}
{
    <TABLE> {
        if (replace) {
            throw SqlUtil.newContextException(s.pos(),
                QuiverParserResource.INSTANCE.createOrReplaceTableNotSupported());
        }
    }
    [ LOOKAHEAD(3) <IF> <NOT> <EXISTS> { ifNotExists = true; } ]
    name = CompoundIdentifier()
    <LPAREN>
    AddQuiverColumnDefinition(columns)
    ( LOOKAHEAD(2) <COMMA> AddQuiverColumnDefinition(columns) )*
    [
        <COMMA> <PRIMARY> <KEY> <LPAREN>
        key = SimpleIdentifier() { primaryKey.add(key); }
        ( <COMMA> key = SimpleIdentifier() { primaryKey.add(key); } )*
        <RPAREN>
    ]
    <RPAREN>
    [ <WITH> AddQuiverTableOptions(tableOptions) ]
    {
        return new SqlCreateTable(s.end(this), ifNotExists, name, columns, primaryKey,
            tableOptions);
    }
}

/** Parses {@code name type [NOT NULL | NULL] [PRIMARY KEY]}, the constraints in either order. */
void AddQuiverColumnDefinition(List<SqlColumnDefinition> columns) :
{
    final SqlIdentifier name;
    final SqlDataTypeSpec type;
    boolean notNull = false;
    boolean primaryKey = false;
}
{
    name = SimpleIdentifier()
    type = DataType()
    [
        notNull = QuiverNotNull() [ <PRIMARY> <KEY> { primaryKey = true; } ]
    |
        <PRIMARY> <KEY> { primaryKey = true; } [ notNull = QuiverNotNull() ]
    ]
    {
        columns.add(new SqlColumnDefinition(Span.of(name).end(this), name, type, notNull,
            primaryKey));
    }
}

/** Parses {@code NOT NULL} (returns true) or {@code NULL} (returns false). */
boolean QuiverNotNull() :
{
}
{
    <NOT> <NULL> { return true; }
|
    <NULL> { return false; }
}

/**
 * Parses the rest of {@code CREATE INDEX [IF NOT EXISTS] [name] ON table USING method (column
 * [operator_class]) [WITH (key = value, ...)]}, after {@code CREATE}: Quiver's form, and
 * pgvector's, whose index may be unnamed and whose operator class picks the metric.
 */
SqlCreate QuiverCreateIndex(Span s, boolean replace) :
{
    boolean ifNotExists = false;
    SqlIdentifier name = null;
    final SqlIdentifier table;
    final SqlIdentifier method;
    final SqlIdentifier column;
    SqlIdentifier operatorClass = null;
    final List<SqlTableOption> indexOptions = new ArrayList<SqlTableOption>();
}
{
    <INDEX> {
        if (replace) {
            throw SqlUtil.newContextException(s.pos(),
                QuiverParserResource.INSTANCE.createOrReplaceNotSupported("INDEX"));
        }
    }
    [ LOOKAHEAD(3) <IF> <NOT> <EXISTS> { ifNotExists = true; } ]
    [ name = SimpleIdentifier() ]
    <ON> table = CompoundIdentifier()
    <USING> method = SimpleIdentifier()
    <LPAREN> column = SimpleIdentifier() [ operatorClass = SimpleIdentifier() ] <RPAREN>
    [ <WITH> AddQuiverTableOptions(indexOptions) ]
    {
        return new SqlCreateIndex(s.end(this), ifNotExists, name, table, method, column,
            operatorClass, indexOptions);
    }
}

/** Parses the rest of {@code CREATE ALIAS alias FOR table}, after {@code CREATE}. */
SqlCreate QuiverCreateAlias(Span s, boolean replace) :
{
    final SqlIdentifier alias;
    final SqlIdentifier table;
}
{
    <ALIAS> {
        if (replace) {
            throw SqlUtil.newContextException(s.pos(),
                QuiverParserResource.INSTANCE.createOrReplaceNotSupported("ALIAS"));
        }
    }
    alias = SimpleIdentifier() <FOR> table = CompoundIdentifier()
    {
        return new SqlCreateAlias(s.end(this), alias, table);
    }
}

/** Parses the rest of {@code CREATE EXTENSION [IF NOT EXISTS] name}, after {@code CREATE}. */
SqlCreate QuiverCreateExtension(Span s, boolean replace) :
{
    boolean ifNotExists = false;
    final SqlIdentifier name;
}
{
    <EXTENSION> {
        if (replace) {
            throw SqlUtil.newContextException(s.pos(),
                QuiverParserResource.INSTANCE.createOrReplaceNotSupported("EXTENSION"));
        }
    }
    [ LOOKAHEAD(3) <IF> <NOT> <EXISTS> { ifNotExists = true; } ]
    name = SimpleIdentifier()
    {
        return new SqlCreateExtension(s.end(this), ifNotExists, name);
    }
}

/** Parses {@code (key = value, ...)}; a value is a number, a string, a boolean or a name. */
void AddQuiverTableOptions(List<SqlTableOption> tableOptions) :
{
}
{
    <LPAREN>
    AddQuiverTableOption(tableOptions)
    ( <COMMA> AddQuiverTableOption(tableOptions) )*
    <RPAREN>
}

/** Parses one {@code key = value} of the WITH clause. */
void AddQuiverTableOption(List<SqlTableOption> tableOptions) :
{
    final SqlIdentifier key;
    final SqlNode value;
    final String text;
}
{
    key = SimpleIdentifier()
    <EQ>
    (
        value = NumericLiteral()
    |
        text = SimpleStringLiteral() { value = SqlLiteral.createCharString(text, getPos()); }
    |
        <TRUE> { value = SqlLiteral.createBoolean(true, getPos()); }
    |
        <FALSE> { value = SqlLiteral.createBoolean(false, getPos()); }
    |
        value = SimpleIdentifier()
    )
    {
        tableOptions.add(new SqlTableOption(key, value));
    }
}

/**
 * Parses the rest of {@code DROP TABLE [IF EXISTS] name}, after {@code DROP}. Calcite's DROP
 * passes a {@code replace} flag that is always false.
 */
SqlDrop QuiverDropTable(Span s, boolean replace) :
{
    boolean ifExists = false;
    final SqlIdentifier name;
}
{
    <TABLE>
    [ LOOKAHEAD(2) <IF> <EXISTS> { ifExists = true; } ]
    name = CompoundIdentifier()
    {
        return new SqlDropTable(s.end(this), ifExists, name);
    }
}

/** Parses the rest of {@code DROP INDEX [IF EXISTS] name}, after {@code DROP}. */
SqlDrop QuiverDropIndex(Span s, boolean replace) :
{
    boolean ifExists = false;
    final SqlIdentifier name;
}
{
    <INDEX>
    [ LOOKAHEAD(2) <IF> <EXISTS> { ifExists = true; } ]
    name = SimpleIdentifier()
    {
        return new SqlDropIndex(s.end(this), ifExists, name);
    }
}

/** Parses the rest of {@code DROP ALIAS [IF EXISTS] alias}, after {@code DROP}. */
SqlDrop QuiverDropAlias(Span s, boolean replace) :
{
    boolean ifExists = false;
    final SqlIdentifier alias;
}
{
    <ALIAS>
    [ LOOKAHEAD(2) <IF> <EXISTS> { ifExists = true; } ]
    alias = SimpleIdentifier()
    {
        return new SqlDropAlias(s.end(this), ifExists, alias);
    }
}

/**
 * Parses the type {@code VECTOR(dimension)} or {@code HALFVEC(dimension)}, or either without a
 * dimension (as in pgvector's {@code '[1,2,3]'::vector}, whose dimension is the value's); the SQL
 * layer checks the dimension's bounds and that a column declares one.
 */
SqlTypeNameSpec QuiverVectorTypeName() :
{
    final Span s;
    final VectorSqlType.Kind kind;
    int dimension = SqlVectorTypeNameSpec.ANY_DIMENSION;
}
{
    (
        <VECTOR> { kind = VectorSqlType.Kind.VECTOR; }
    |
        <HALFVEC> { kind = VectorSqlType.Kind.HALFVEC; }
    )
    { s = span(); }
    [ <LPAREN> dimension = UnsignedIntLiteral() <RPAREN> ]
    {
        return new SqlVectorTypeNameSpec(kind, dimension, s.end(this));
    }
}

/**
 * Parses the type {@code BIT(length)}, or {@code BIT} without a length (as in PostgreSQL's cast
 * {@code '101'::bit}, here the value's length); the SQL layer checks the length's bounds and gives
 * a column declared {@code BIT} one bit, as PostgreSQL does.
 */
SqlTypeNameSpec QuiverBitTypeName() :
{
    final Span s;
    int length = BitSqlType.ANY_LENGTH;
}
{
    <BIT> { s = span(); }
    [ <LPAREN> length = UnsignedIntLiteral() <RPAREN> ]
    {
        return new SqlBitTypeNameSpec(length, s.end(this));
    }
}

/**
 * Parses the type {@code SPARSEVEC(dimension)}, or {@code SPARSEVEC} without one (in a cast, the
 * value's dimension); the SQL layer checks the dimension's bounds.
 */
SqlTypeNameSpec QuiverSparsevecTypeName() :
{
    final Span s;
    int dimension = SparsevecSqlType.ANY_DIMENSION;
}
{
    <SPARSEVEC> { s = span(); }
    [ <LPAREN> dimension = UnsignedIntLiteral() <RPAREN> ]
    {
        return new SqlSparsevecTypeNameSpec(dimension, s.end(this));
    }
}

/**
 * Parses PostgreSQL's bit-string literal {@code B'1010'} into {@code CAST('1010' AS BIT(4))}, a
 * value of its own type wherever it stands.
 */
SqlNode QuiverBitStringLiteral() :
{
}
{
    <BIT_STRING_LITERAL>
    {
        return QuiverLiterals.bits(token.image, getPos());
    }
}

/**
 * Parses a vector literal {@code [1, 2.5, -3]} into the character literal of its canonical text
 * form, which is how vectors travel through Calcite.
 */
SqlNode QuiverVectorLiteral() :
{
    final Span s;
    final List<SqlLiteral> elements = new ArrayList<SqlLiteral>();
    SqlLiteral element;
}
{
    <LBRACKET> { s = span(); }
    element = NumericLiteral() { elements.add(element); }
    ( <COMMA> element = NumericLiteral() { elements.add(element); } )*
    <RBRACKET>
    {
        return QuiverLiterals.vector(elements, s.end(this));
    }
}

/**
 * Parses a distance operator and its right operand into the flat operator/operand list that
 * Expression2() hands to the precedence parser; the operator's precedence does the rest. The
 * span {@code s} is part of the extraBinaryExpressions signature and is not needed here.
 */
void QuiverDistanceOperator(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlOperator op;
}
{
    { checkNonQueryExpression(exprContext); }
    (
        <L2_DISTANCE> { op = QuiverOperators.L2_DISTANCE; }
    |
        <COSINE_DISTANCE> { op = QuiverOperators.COSINE_DISTANCE; }
    |
        <NEGATIVE_INNER_PRODUCT> { op = QuiverOperators.NEGATIVE_INNER_PRODUCT; }
    |
        <L1_DISTANCE> { op = QuiverOperators.L1_DISTANCE; }
    |
        <HAMMING_DISTANCE> { op = QuiverOperators.HAMMING_DISTANCE; }
    |
        <JACCARD_DISTANCE> { op = QuiverOperators.JACCARD_DISTANCE; }
    )
    {
        list.add(new SqlParserUtil.ToTreeListItem(op, getPos()));
    }
    AddExpression2b(list, ExprContext.ACCEPT_SUB_QUERY)
}

/**
 * Parses PostgreSQL's cast {@code expression::type} into the operator and the type, which the
 * precedence parser joins to the operand on the left into a standard CAST call. PostgreSQL's
 * array type {@code type[]} is {@code type ARRAY}; a bracket with something inside stays the
 * access to an element.
 */
void QuiverInfixCast(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlParserPos pos;
    SqlDataTypeSpec type;
}
{
    <INFIX_CAST> {
        checkNonQueryExpression(exprContext);
        pos = getPos();
    }
    type = DataType()
    [
        LOOKAHEAD(2) <LBRACKET> <RBRACKET> {
            type = new SqlDataTypeSpec(new SqlCollectionTypeNameSpec(type.getTypeNameSpec(),
                SqlTypeName.ARRAY, getPos()), type.getParserPosition().plus(getPos()));
        }
    ]
    {
        list.add(new SqlParserUtil.ToTreeListItem(QuiverOperators.INFIX_CAST, pos));
        list.add(type);
    }
}

/** Parses the rest of {@code TRUNCATE [TABLE] name}, after {@code TRUNCATE}. */
SqlTruncate QuiverTruncateTable(Span s) :
{
    final SqlIdentifier table;
}
{
    [ <TABLE> ] table = CompoundIdentifier()
    {
        return new SqlTruncateTable(s.end(table), table);
    }
}

/**
 * Parses {@code SHOW USERS}. Listed before QuiverShow() in config.fmpp: USERS is non-reserved, so
 * QuiverShow() would take it for the name of a setting.
 */
SqlNode QuiverShowUsers() :
{
    final Span s;
}
{
    <SHOW> { s = span(); } <USERS>
    {
        return new SqlShowUsers(s.end(this));
    }
}

/** Parses {@code [WITH] PASSWORD 'secret'} and returns the password. */
String QuiverPassword() :
{
    final String password;
}
{
    [ <WITH> ] <PASSWORD> password = SimpleStringLiteral()
    {
        return password;
    }
}

/**
 * Parses the rest of {@code CREATE USER [IF NOT EXISTS] name [WITH] PASSWORD 'secret' [ROLE role]},
 * after {@code CREATE}.
 */
SqlCreate QuiverCreateUser(Span s, boolean replace) :
{
    boolean ifNotExists = false;
    final SqlIdentifier name;
    final String password;
    SqlIdentifier role = null;
}
{
    <USER> {
        if (replace) {
            throw SqlUtil.newContextException(s.pos(),
                QuiverParserResource.INSTANCE.createOrReplaceNotSupported("USER"));
        }
    }
    [ LOOKAHEAD(3) <IF> <NOT> <EXISTS> { ifNotExists = true; } ]
    name = SimpleIdentifier()
    password = QuiverPassword()
    [ <ROLE> role = SimpleIdentifier() ]
    {
        return new SqlCreateUser(s.end(this), ifNotExists, name, password, role);
    }
}

/** Parses the rest of {@code DROP USER [IF EXISTS] name}, after {@code DROP}. */
SqlDrop QuiverDropUser(Span s, boolean replace) :
{
    boolean ifExists = false;
    final SqlIdentifier name;
}
{
    <USER>
    [ LOOKAHEAD(2) <IF> <EXISTS> { ifExists = true; } ]
    name = SimpleIdentifier()
    {
        return new SqlDropUser(s.end(this), ifExists, name);
    }
}

/** Parses {@code ALTER USER name [WITH] PASSWORD 'secret'} and {@code ALTER USER name ROLE role}. */
SqlNode QuiverAlterUser() :
{
    final Span s;
    final SqlIdentifier name;
    final String password;
    final SqlIdentifier role;
}
{
    <ALTER> { s = span(); } <USER> name = SimpleIdentifier()
    (
        password = QuiverPassword()
        {
            return new SqlAlterUser(s.end(this), name, password, null);
        }
    |
        <ROLE> role = SimpleIdentifier()
        {
            return new SqlAlterUser(s.end(this), name, null, role);
        }
    )
}

/**
 * Parses {@code GRANT privilege, ... ON [TABLE] table TO user} and {@code REVOKE privilege, ...
 * ON [TABLE] table FROM user}.
 */
SqlNode QuiverGrant() :
{
    final Span s;
    final boolean grant;
    final List<String> privileges = new ArrayList<String>();
    final SqlIdentifier table;
    final SqlIdentifier user;
}
{
    (
        <GRANT> { s = span(); grant = true; }
    |
        <REVOKE> { s = span(); grant = false; }
    )
    AddQuiverPrivilege(privileges)
    ( <COMMA> AddQuiverPrivilege(privileges) )*
    <ON> [ <TABLE> ] table = CompoundIdentifier()
    (
        LOOKAHEAD({ grant }) <TO>
    |
        LOOKAHEAD({ !grant }) <FROM>
    )
    user = SimpleIdentifier()
    {
        return new SqlGrant(s.end(this), grant, privileges, table, user);
    }
}

/** Parses one privilege of GRANT and REVOKE: SELECT, INSERT, UPDATE, DELETE or ALL [PRIVILEGES]. */
void AddQuiverPrivilege(List<String> privileges) :
{
}
{
    <SELECT> { privileges.add("SELECT"); }
|
    <INSERT> { privileges.add("INSERT"); }
|
    <UPDATE> { privileges.add("UPDATE"); }
|
    <DELETE> { privileges.add("DELETE"); }
|
    <ALL> [ <PRIVILEGES> ] { privileges.add("ALL"); }
}
