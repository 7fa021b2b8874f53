package org.quiver.sql.auth;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The users of a data directory, in the text file {@code <data>/users} (mode 600): a header line,
 * then one {@code name:role:hash[:grants]} line per user, where grants are
 * {@code table=insert|delete;table2=select} with table names URL-encoded. The server re-reads the file when it changes, so
 * {@code quiver user add} takes effect without a restart.
 *
 * <p>Thread-safe. A PBKDF2 verification costs a large fraction of a second of CPU by design, and HTTP BASIC
 * sends the password with every request, so a successful verification is remembered as an HMAC
 * (under a key that lives only in this process) of the password, for as long as the user's
 * hash is unchanged.
 */
public final class UserStore {
  public static final String FILE_NAME = "users";
  private static final String HEADER =
      "# quiver users v1: name:role:pbkdf2-sha256$iterations$salt$hash[:table=privilege|...;...]";

  private final Path file;
  private final byte[] cacheKey = new byte[32];
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot = new Snapshot(null, Map.of());

  /** The file's users as of {@code version}: its modification time and inode, null if absent. */
  private record Snapshot(List<Object> version, Map<String, User> users) {}

  public UserStore(Path dataDirectory) {
    this.file = dataDirectory.resolve(FILE_NAME);
    new SecureRandom().nextBytes(cacheKey);
  }

  public Path file() {
    return file;
  }

  /** The users as the file holds them now, in file order. */
  public List<User> users() throws IOException {
    return List.copyOf(current().values());
  }

  public Optional<User> find(String name) throws IOException {
    return Optional.ofNullable(current().get(name));
  }

  /** The user, if {@code password} is theirs. */
  public Optional<User> authenticate(String name, char[] password) throws IOException {
    User user = current().get(name);
    if (user == null) {
      return Optional.empty();
    }
    byte[] mark = mark(user, password);
    byte[] known = verified.get(user.name());
    if (known != null && MessageDigest.isEqual(known, mark)) {
      return Optional.of(user);
    }
    if (!PasswordHash.verify(password, user.passwordHash())) {
      return Optional.empty();
    }
    verified.put(user.name(), mark);
    return Optional.of(user);
  }

  /** Adds a user; fails if the name is taken. */
  public synchronized void add(String name, Role role, char[] password) throws IOException {
    User.checkName(name);
    Map<String, User> users = new LinkedHashMap<>(read());
    if (users.containsKey(name)) {
      throw new IllegalArgumentException("user '" + name + "' exists already");
    }
    users.put(name, new User(name, role, PasswordHash.hash(password)));
    write(users);
  }

  /** Removes a user; fails if there is no such user. */
  public synchronized void remove(String name) throws IOException {
    Map<String, User> users = new LinkedHashMap<>(read());
    if (users.remove(name) == null) {
      throw new IllegalArgumentException("no user '" + name + "'");
    }
    write(users);
  }

  /** Replaces a user's password, keeping the role. */
  public synchronized void setPassword(String name, char[] password) throws IOException {
    Map<String, User> users = new LinkedHashMap<>(read());
    User old = users.get(name);
    if (old == null) {
      throw new IllegalArgumentException("no user '" + name + "'");
    }
    users.put(name, new User(name, old.role(), PasswordHash.hash(password), old.grants()));
    write(users);
  }

  /** Replaces a user's role, keeping the password and the grants. */
  public synchronized void setRole(String name, Role role) throws IOException {
    Map<String, User> users = new LinkedHashMap<>(read());
    User old = existing(users, name);
    users.put(name, new User(name, role, old.passwordHash(), old.grants()));
    write(users);
  }

  /**
   * Adds ({@code grant}) or removes privileges of a user on one table; removing what was never
   * granted changes nothing, as in PostgreSQL.
   */
  public synchronized void changeGrants(String name, String table, Set<Privilege> privileges,
      boolean grant) throws IOException {
    Map<String, User> users = new LinkedHashMap<>(read());
    User old = existing(users, name);
    Map<String, Set<Privilege>> grants = new TreeMap<>(old.grants());
    Set<Privilege> now = EnumSet.noneOf(Privilege.class);
    now.addAll(grants.getOrDefault(table, Set.of()));
    if (grant) {
      now.addAll(privileges);
    } else {
      now.removeAll(privileges);
    }
    grants.put(table, now);
    users.put(name, new User(name, old.role(), old.passwordHash(), grants));
    write(users);
  }

  private static User existing(Map<String, User> users, String name) {
    User old = users.get(name);
    if (old == null) {
      throw new IllegalArgumentException("no user '" + name + "'");
    }
    return old;
  }

  /**
   * The file's version now (its modification time, inode and size; null while it does not
   * exist): equal versions mean an unchanged file.
   */
  public List<Object> version() throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return Arrays.asList(a.lastModifiedTime(), a.fileKey(), a.size());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Whether {@code name} is an admin and no other user is. */
  public boolean isLastAdmin(String name) throws IOException {
    Map<String, User> users = current();
    User user = users.get(name);
    return user != null && user.role() == Role.ADMIN
        && users.values().stream().filter(u -> u.role() == Role.ADMIN).count() == 1;
  }

  private Map<String, User> current() throws IOException {
    List<Object> version = version();
    Snapshot s = snapshot;
    if (!Objects.equals(version, s.version())) {
      s = new Snapshot(version, read());
      snapshot = s;
    }
    return s.users();
  }

  private Map<String, User> read() throws IOException {
    Map<String, User> users = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return users;
    }
    int n = 0;
    for (String line : lines) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(":", 4);
      if (parts.length < 3) {
        throw new IOException(file + " line " + n + ": expected name:role:hash[:grants]");
      }
      try {
        users.put(parts[0], new User(parts[0], Role.parse(parts[1]), parts[2],
            parts.length == 4 ? parseGrants(parts[3]) : Map.of()));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " line " + n + ": " + e.getMessage(), e);
      }
    }
    return users;
  }

  /** Writes a new file beside the old one and renames it over, so readers never see half. */
  private void write(Map<String, User> users) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (User u : users.values()) {
      lines.add(u.name() + ":" + u.role().label() + ":" + u.passwordHash()
          + (u.grants().isEmpty() ? "" : ":" + formatGrants(u.grants())));
    }
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(FILE_NAME + ".tmp");
    Files.deleteIfExists(temp);
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(temp);
    }
    Files.write(temp, lines, StandardCharsets.UTF_8);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Map<String, Set<Privilege>> parseGrants(String text) {
    Map<String, Set<Privilege>> grants = new TreeMap<>();
    for (String entry : text.split(";")) {
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expected table=privilege|..., got " + entry);
      }
      Set<Privilege> privileges = EnumSet.noneOf(Privilege.class);
      for (String p : entry.substring(eq + 1).split("\\|")) {
        privileges.add(Privilege.parse(p));
      }
      grants.put(URLDecoder.decode(entry.substring(0, eq), StandardCharsets.UTF_8), privileges);
    }
    return grants;
  }

  /**
   * {@code sys.users} (SHOW USERS): name, role and grants of each user of {@code dataDirectory},
   * never a hash; no rows for an in-memory database.
   */
  public static List<Object[]> rows(Optional<Path> dataDirectory) {
    List<Object[]> rows = new ArrayList<>();
    if (dataDirectory.isEmpty()) {
      return rows;
    }
    try {
      for (User u : new UserStore(dataDirectory.get()).users()) {
        String grants = u.grants().entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue().stream().sorted().map(Enum::name)
                .collect(Collectors.joining(", ")))
            .collect(Collectors.joining("; "));
        rows.add(new Object[] {u.name(), u.role().label(), grants});
      }
    } catch (IOException e) {
      throw org.quiver.engine.api.error.QuiverException.of(
          org.quiver.engine.api.error.ErrorCode.IO_ERROR, "cannot read the users file: %s",
          e.getMessage());
    }
    return rows;
  }

  /** The grants as the users file and SHOW USERS write them. */
  static String formatGrants(Map<String, Set<Privilege>> grants) {
    return grants.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + e.getValue().stream().sorted().map(Privilege::label)
                .collect(Collectors.joining("|")))
        .collect(Collectors.joining(";"));
  }

  private byte[] mark(User user, char[] password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      mac.update(user.passwordHash().getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(new String(password).getBytes(StandardCharsets.UTF_8));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
