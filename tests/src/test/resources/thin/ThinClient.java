import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;

/**
 * A plain JDBC program, run with {@code java -cp quiver-jdbc.jar ThinClient.java URL TABLE [key=value...]}
 * as a user would: connects, creates a table, inserts, searches and reads vectors back.
 */
public class ThinClient {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String table = args[1];
    Properties info = new Properties();
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      info.setProperty(kv[0], kv[1]);
    }
    System.out.println("java " + System.getProperty("java.specification.version"));
    try (Connection c = DriverManager.getConnection(url, info)) {
      System.out.println("driver " + c.getMetaData().getDriverName());
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(20), v VECTOR(3))");
        s.execute("INSERT INTO " + table + " VALUES (1, 'x', [1, 0, 0]), (2, 'y', '[0,1,0]')");
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
        p.setLong(1, 3);
        p.setString(2, "z");
        p.setObject(3, new float[] {0.9f, 0.1f, 0f});
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id, v, v <-> ? AS d FROM " + table + " ORDER BY d LIMIT 2")) {
        p.setObject(1, new float[] {1f, 0f, 0f});
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            float[] v = (float[]) rs.getObject(2);
            System.out.println("row " + rs.getLong(1) + " " + Arrays.toString(v) + " " + rs.getString(2));
          }
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        System.out.println("count " + rs.getLong(1));
      }
    }
  }
}
