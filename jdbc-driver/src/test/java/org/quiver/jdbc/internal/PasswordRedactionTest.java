package org.quiver.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PasswordRedactionTest {
  @Test
  void hidesPasswordLiteralsOnly() {
    assertEquals("CREATE USER bob PASSWORD '********' ROLE admin",
        PasswordRedaction.redact("CREATE USER bob PASSWORD 's3cr''et' ROLE admin"));
    assertEquals("alter user bob with password '********'",
        PasswordRedaction.redact("alter user bob with password 'x'"));
    assertEquals("CREATE USER bob PASSWORD = '********'",
        PasswordRedaction.redact("CREATE USER bob PASSWORD = 'x'"));
    assertEquals("CREATE USER bob IDENTIFIED BY '********'",
        PasswordRedaction.redact("CREATE USER bob IDENTIFIED BY 'x'"));
    assertEquals("Error while executing SQL \"CREATE USER b PASSWORD '********'",
        PasswordRedaction.redact("Error while executing SQL \"CREATE USER b PASSWORD 'unterminated"));
    String plain = "SELECT 'password' FROM t WHERE name = 'x'";
    assertSame(plain, PasswordRedaction.redact(plain));
    assertNull(PasswordRedaction.redact((String) null));
  }

  @Test
  void errorsWithAPasswordAnywhereInTheirChainLoseTheChain() {
    SQLException cause = new SQLException("Error while executing SQL \"CREATE USER b PASSWORD 'p'\"");
    SQLException error = new SQLException("user \"b\" already exists", "42710", 1005, cause);
    SQLException clean = PasswordRedaction.redact(error);
    assertEquals("42710", clean.getSQLState());
    assertEquals(1005, clean.getErrorCode());
    assertEquals("user \"b\" already exists", clean.getMessage());
    assertNull(clean.getCause());
    SQLException harmless = new SQLException("table \"t\" does not exist", "42P01");
    assertSame(harmless, PasswordRedaction.redact(harmless));
    assertFalse(String.valueOf(clean).contains("'p'"));
  }
}
