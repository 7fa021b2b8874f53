<#--
  Quiver's productions, included into Calcite's Parser.jj by config.fmpp. Each one is reached
  through an extension point named in config.fmpp; none of Calcite's productions is changed.
-->

/** Parses {@code SHOW TABLES}. */
SqlNode QuiverShowTables() :
{
    final Span s;
}
{
    <SHOW> { s = span(); } <TABLES>
    {
        return new SqlShowTables(s.end(this));
    }
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

/** Parses {@code LOAD TABLE name}, {@code RELEASE TABLE name} and {@code FLUSH TABLE name}. */
SqlNode QuiverTableCommand() :
{
    final Span s;
    final SqlIdentifier table;
}
{
    <LOAD> { s = span(); } <TABLE> table = CompoundIdentifier()
    {
        return new SqlLoadTable(s.end(table), table);
    }
|
    <RELEASE> { s = span(); } <TABLE> table = CompoundIdentifier()
    {
        return new SqlReleaseTable(s.end(table), table);
    }
|
    <FLUSH> { s = span(); } <TABLE> table = CompoundIdentifier()
    {
        return new SqlFlushTable(s.end(table), table);
    }
}

/**
 * Parses the rest of {@code CREATE TABLE [IF NOT EXISTS] name (column, ... [, PRIMARY KEY (column)])
 * [WITH (key = value, ...)]}, after {@code CREATE}.
 */
SqlCreate QuiverCreateTable(Span s, boolean replace) :
{
    boolean ifNotExists = false;
    final SqlIdentifier name;
    final List<SqlColumnDefinition> columns = new ArrayList<SqlColumnDefinition>();
    SqlIdentifier primaryKey = null;
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
    [ <COMMA> <PRIMARY> <KEY> <LPAREN> primaryKey = SimpleIdentifier() <RPAREN> ]
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

/** Parses the type {@code VECTOR(dimension)}; the SQL layer checks the dimension's bounds. */
SqlTypeNameSpec QuiverVectorTypeName() :
{
    final Span s;
    final int dimension;
}
{
    <VECTOR> { s = span(); }
    <LPAREN> dimension = UnsignedIntLiteral() <RPAREN>
    {
        return new SqlVectorTypeNameSpec(dimension, s.end(this));
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
    )
    {
        list.add(new SqlParserUtil.ToTreeListItem(op, getPos()));
    }
    AddExpression2b(list, ExprContext.ACCEPT_SUB_QUERY)
}
