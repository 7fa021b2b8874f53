package org.quiver.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatementKindTest {
  @Test
  void theFirstKeywordSkipsCommentsBlanksAndParentheses() {
    assertEquals("SELECT", StatementKind.firstKeyword("  -- why\n /* note */ ((select 1))"));
    assertEquals("INSERT", StatementKind.firstKeyword("insert into t values (1)"));
    assertEquals("", StatementKind.firstKeyword("/* never closed"));
    assertEquals("", StatementKind.firstKeyword(""));
  }

  @Test
  void queriesAndInspectionsReturnRowsAndChangeNothing() {
    for (String sql : new String[] {"SELECT 1", "with x as (select 1) select * from x",
        "VALUES (1)", "EXPLAIN PLAN FOR SELECT 1", "SHOW TABLES", "DESCRIBE t", "DESC t"}) {
      StatementKind kind = StatementKind.of(sql);
      assertTrue(kind.returnsRows(), sql);
      assertTrue(kind.readOnly(), sql);
      assertTrue(kind.preparable(), sql);
    }
  }

  @Test
  void sessionStatementsChangeNoDataAndAreNotPrepared() {
    for (String sql : new String[] {"SET hnsw.ef_search = 40", "RESET ALL", "CANCEL 3"}) {
      assertEquals(StatementKind.SESSION, StatementKind.of(sql), sql);
      assertTrue(StatementKind.of(sql).readOnly(), sql);
      assertFalse(StatementKind.of(sql).preparable(), sql);
    }
  }

  @Test
  void writesArePreparedAndCommandsRunWhilePrepared() {
    assertEquals(StatementKind.INSERT, StatementKind.of("UPSERT INTO t VALUES (1)"));
    assertEquals(StatementKind.DELETE, StatementKind.of("delete from t"));
    assertEquals(StatementKind.UPDATE, StatementKind.of("MERGE INTO t USING s ON true"));
    for (String sql : new String[] {"INSERT INTO t VALUES (1)", "DELETE FROM t", "UPDATE t SET a = 1"}) {
      assertFalse(StatementKind.of(sql).readOnly(), sql);
      assertFalse(StatementKind.of(sql).returnsRows(), sql);
      assertTrue(StatementKind.of(sql).preparable(), sql);
    }
    for (String sql : new String[] {"CREATE TABLE t (id INT)", "DROP USER u", "GRANT INSERT ON t TO u",
        "COPY t FROM 'f.csv'", "FLUSH TABLE t", "SELEC 1"}) {
      assertEquals(StatementKind.COMMAND, StatementKind.of(sql), sql);
      assertFalse(StatementKind.of(sql).readOnly(), sql);
      assertFalse(StatementKind.of(sql).preparable(), sql);
    }
  }
}
