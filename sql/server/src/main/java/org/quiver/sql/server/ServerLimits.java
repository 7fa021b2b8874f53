package org.quiver.sql.server;

/**
 * What one client may hold on {@code quiver serve}, so that no client can exhaust the server for
 * the others.
 *
 * @param maxSessions JDBC connections open at once (each holds an engine session); one more
 *     fails with 53300
 * @param maxStatementsPerConnection statements open at once on one connection; one more fails
 *     with 54000
 * @param maxRowsPerFrame rows in one frame of a result: a larger fetch size is lowered to this,
 *     so a huge result crosses the wire in frames and the server holds one frame at a time
 */
public record ServerLimits(int maxSessions, int maxStatementsPerConnection, int maxRowsPerFrame) {
  public static final ServerLimits DEFAULT = new ServerLimits(512, 1000, 10_000);

  public ServerLimits {
    check("max sessions", maxSessions);
    check("max statements per connection", maxStatementsPerConnection);
    check("max rows per frame", maxRowsPerFrame);
  }

  private static void check(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }
}
