package org.quiver.sql.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.User;
import org.quiver.sql.auth.UserStore;

/**
 * {@code quiver user add|remove|password|list}: manages the users file of a data directory. It
 * needs no engine, so it works while a server runs, and the server sees the change at once. It
 * removes the last admin only with {@code --force}.
 */
final class UserCommand {
  private UserCommand() {}

  static int run(List<String> args, String usage) {
    if (args.isEmpty()) {
      System.err.print(usage);
      return 2;
    }
    Main.Options o = new Main.Options(args);
    UserStore users = new UserStore(Path.of(o.value("--data", "quiver-data")));
    String action = args.get(0);
    try {
      switch (action) {
        case "list" -> {
          for (User u : users.users()) {
            System.out.println(u.name() + "\t" + u.role().label());
          }
          return 0;
        }
        case "add", "remove", "password" -> {
          if (args.size() < 2 || args.get(1).startsWith("-")) {
            System.err.print("quiver user " + action + ": missing NAME\n" + usage);
            return 2;
          }
          String name = args.get(1);
          switch (action) {
            case "add" -> {
              Role role = Role.parse(o.value("--role", Role.READ_WRITE.label()));
              users.add(name, role, readPassword(name));
              System.out.println("added user " + name + " (" + role.label() + ") to " + users.file());
            }
            case "remove" -> {
              if (users.isLastAdmin(name) && !args.contains("--force")) {
                System.err.println("quiver user remove: " + name + " is the last admin: without "
                    + "an admin nobody can manage users in SQL. Add another admin first, or pass "
                    + "--force (a running server then accepts no one until a user is added or it "
                    + "restarts)");
                return 1;
              }
              users.remove(name);
              System.out.println("removed user " + name + " from " + users.file());
            }
            default -> {
              users.find(name).orElseThrow(
                  () -> new IllegalArgumentException("no user '" + name + "'"));
              users.setPassword(name, readPassword(name));
              System.out.println("changed the password of " + name);
            }
          }
          return 0;
        }
        default -> {
          System.err.print("quiver user: unknown action '" + action + "'\n" + usage);
          return 2;
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("quiver user " + action + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("quiver user " + action + ": cannot update " + users.file() + ": "
          + e.getMessage());
      return 1;
    }
  }

  /** From the terminal (asked twice, not echoed), or the first line of stdin when piped. */
  private static char[] readPassword(String name) throws IOException {
    Console console = System.console();
    char[] password;
    if (console != null && console.isTerminal()) {
      password = console.readPassword("Password for %s: ", name);
      char[] again = console.readPassword("Again: ");
      if (password == null || !Arrays.equals(password, again)) {
        throw new IllegalArgumentException("the two passwords differ");
      }
    } else {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
          .readLine();
      password = line == null ? new char[0] : line.toCharArray();
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("the password is empty");
    }
    return password;
  }
}
