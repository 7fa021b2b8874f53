package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Properties;

/**
 * Quiver's remote driver asked for text (vectorObjects=text, and abbreviated as the console asks)
 * reads a vector value of any kind as text, though the server sends it as bytes.
 */
final class RemoteTextModes {
  private RemoteTextModes() {}

  /**
   * Asserts that the first column of the first row of {@code query} reads as {@code text} in
   * text mode and as {@code abbreviated} in abbreviated mode, by getObject and getString, and as
   * {@code text} by getObject(1, String.class) in both.
   */
  static void assertText(String url, String query, String text, String abbreviated)
      throws SQLException {
    for (String mode : new String[] {"text", "abbreviated"}) {
      Properties info = new Properties();
      info.setProperty("vectorObjects", mode);
      String expected = mode.equals("text") ? text : abbreviated;
      try (Connection c = DriverManager.getConnection(url, info);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(query)) {
        assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(1), mode);
        assertTrue(rs.next());
        assertEquals(expected, rs.getObject(1), mode);
        assertEquals(expected, rs.getString(1), mode);
        assertEquals(text, rs.getObject(1, String.class), mode);
      }
    }
  }
}
