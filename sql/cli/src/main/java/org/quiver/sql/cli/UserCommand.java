package org.quiver.sql.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.User;
import org.quiver.sql.auth.UserStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quiver user add|remove|password|list}: manages the users file of a data directory. It
 * needs no engine, so it works while a server runs, and the server sees the change at once. It
 * removes the last admin only with {@code --force}.
 */
@Command(name = "user", description = "Manages the users of a data directory, also while a "
    + "server runs on it; passwords from the terminal, or one line of stdin.",
    subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.Password.class,
        UserCommand.ListAll.class})
final class UserCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  /** Without an action: the usage on stderr, exit 2. */
  @Override
  public Integer call() {
    return Main.usageError(spec);
  }

  /** One action on the users file: exit 1 with its message when it is refused or fails. */
  private abstract static class Action implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirectoryOption data;

    @Override
    public Integer call() {
      UserStore users = new UserStore(data.data);
      try {
        return run(users);
      } catch (IllegalArgumentException e) {
        System.err.println("quiver user " + spec.name() + ": " + e.getMessage());
        return 1;
      } catch (IOException e) {
        System.err.println("quiver user " + spec.name() + ": cannot update " + users.file() + ": "
            + e.getMessage());
        return 1;
      }
    }

    abstract int run(UserStore users) throws IOException;
  }

  @Command(name = "add", description = "Adds a user; the first one turns authentication on.")
  static final class Add extends Action {
    @Parameters(paramLabel = "NAME", description = "the user's name")
    private String name;

    @Option(names = "--role", paramLabel = "read-only|read-write|admin",
        converter = RoleConverter.class, defaultValue = "read-write",
        description = "what the user may do")
    private Role role;

    @Override
    int run(UserStore users) throws IOException {
      users.add(name, role, readPassword(name));
      System.out.println("added user " + name + " (" + role.label() + ") to " + users.file());
      return 0;
    }
  }

  @Command(name = "remove", description = "Removes a user.")
  static final class Remove extends Action {
    @Parameters(paramLabel = "NAME", description = "the user's name")
    private String name;

    @Option(names = "--force", description = "removes the last admin too")
    private boolean force;

    @Override
    int run(UserStore users) throws IOException {
      if (users.isLastAdmin(name) && !force) {
        System.err.println("quiver user remove: " + name + " is the last admin: without "
            + "an admin nobody can manage users in SQL. Add another admin first, or pass "
            + "--force (a running server then accepts no one until a user is added or it "
            + "restarts)");
        return 1;
      }
      users.remove(name);
      System.out.println("removed user " + name + " from " + users.file());
      return 0;
    }
  }

  @Command(name = "password", description = "Changes a user's password.")
  static final class Password extends Action {
    @Parameters(paramLabel = "NAME", description = "the user's name")
    private String name;

    @Override
    int run(UserStore users) throws IOException {
      users.find(name).orElseThrow(() -> new IllegalArgumentException("no user '" + name + "'"));
      users.setPassword(name, readPassword(name));
      System.out.println("changed the password of " + name);
      return 0;
    }
  }

  @Command(name = "list", description = "Lists the users and their roles.")
  static final class ListAll extends Action {
    @Override
    int run(UserStore users) throws IOException {
      for (User u : users.users()) {
        System.out.println(u.name() + "\t" + u.role().label());
      }
      return 0;
    }
  }

  /** A role as {@link Role#parse} reads it. */
  static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      try {
        return Role.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
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
