package org.quiver.sql.auth;

import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The users of a data directory, in the text file {@code <data>/users} (mode 600): a header line,
 * then one {@code name:role:hash} line per user. The server re-reads the file when it changes, so
 * {@code quiver user add} takes effect without a restart.
 *
 * <p>Thread-safe. A PBKDF2 verification costs a large fraction of a second of CPU by design, and HTTP BASIC
 * sends the password with every request, so a successful verification is remembered as an HMAC
 * (under a key that lives only in this process) of the password, for as long as the user's
 * hash is unchanged.
 */
public final class UserStore {
  public static final String FILE_NAME = "users";
  private static final String HEADER = "# quiver users v1: name:role:pbkdf2-sha256$iterations$salt$hash";

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
    users.put(name, new User(name, old.role(), PasswordHash.hash(password)));
    write(users);
  }

  private Map<String, User> current() throws IOException {
    List<Object> version;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      version = Arrays.asList(a.lastModifiedTime(), a.fileKey(), a.size());
    } catch (NoSuchFileException e) {
      version = null;
    }
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
      String[] parts = line.split(":", 3);
      if (parts.length != 3) {
        throw new IOException(file + " line " + n + ": expected name:role:hash");
      }
      try {
        users.put(parts[0], new User(parts[0], Role.parse(parts[1]), parts[2]));
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
      lines.add(u.name() + ":" + u.role().label() + ":" + u.passwordHash());
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
