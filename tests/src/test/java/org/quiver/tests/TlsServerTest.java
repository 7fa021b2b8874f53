package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerOptions;

/**
 * HTTPS with a self-signed certificate made by the JDK's keytool: served from PEM files and from a
 * key store; Quiver's driver connects with {@code https://} and trusts the certificate it is given.
 */
class TlsServerTest {
  private static final String STORE_PASSWORD = "changeit";

  @TempDir
  static Path dir;
  private static Path keystore;
  private static Path certificate;
  private static Path key;

  @BeforeAll
  static void makeCertificate() throws Exception {
    keystore = dir.resolve("server.p12");
    certificate = dir.resolve("server.crt.pem");
    key = dir.resolve("server.key.pem");
    keytool("-genkeypair", "-alias", "quiver", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "quiver", "-keystore", keystore.toString(),
        "-storepass", STORE_PASSWORD, "-file", certificate.toString());
    // keytool cannot write a private key as PEM: take it from the key store.
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    Key privateKey = store.getKey("quiver", STORE_PASSWORD.toCharArray());
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(privateKey.getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
  }

  @Test
  void pemCertificateAndKeyWithAuthentication(@TempDir Path data) throws Exception {
    new UserStore(data).add("alice", Role.READ_WRITE, "pw".toCharArray());
    try (QuiverServer server = QuiverServer.start(ServerOptions.of(data, "127.0.0.1", 0)
        .withTls(ServerOptions.Tls.pem(certificate, key)))) {
      assertTrue(server.url().startsWith("jdbc:quiver:remote:https://"), server.url());
      Properties info = trusting();
      info.setProperty("user", "alice");
      info.setProperty("password", "pw");
      roundTrip(server.url(), info);
      info.setProperty("password", "wrong");
      assertEquals("28000", assertThrows(SQLException.class,
          () -> DriverManager.getConnection(server.url(), info).close()).getSQLState());
      // The same over the channel alone, which speaks TLS with the same certificate.
      info.setProperty("transport", "channel");
      assertEquals("28000", assertThrows(SQLException.class,
          () -> DriverManager.getConnection(server.url(), info).close()).getSQLState());
      info.setProperty("password", "pw");
      try (Connection c = DriverManager.getConnection(server.url(), info);
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM secure")) {
        assertTrue(rs.next());
      }
    }
  }

  @Test
  void keystoreAndUntrustedClients(@TempDir Path data) throws Exception {
    try (QuiverServer server = QuiverServer.start(ServerOptions.of(data, "127.0.0.1", 0)
        .withTls(ServerOptions.Tls.keystore(keystore, STORE_PASSWORD)))) {
      Properties channel = trusting();
      channel.setProperty("transport", "channel");
      roundTrip(server.url(), channel);
      SQLException untrusted = assertThrows(SQLException.class,
          () -> DriverManager.getConnection(server.url(), new Properties()).close());
      assertEquals("08001", untrusted.getSQLState(), untrusted.getMessage());
      Properties untrustedChannel = new Properties();
      untrustedChannel.setProperty("transport", "channel");
      SQLException refused = assertThrows(SQLException.class,
          () -> DriverManager.getConnection(server.url(), untrustedChannel).close());
      assertEquals("08001", refused.getSQLState(), refused.getMessage());
      String plain = server.url().replace("https://", "http://");
      SQLException wrongScheme = assertThrows(SQLException.class,
          () -> DriverManager.getConnection(plain, new Properties()).close());
      assertEquals("08001", wrongScheme.getSQLState(), wrongScheme.getMessage());
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsTheStart(@TempDir Path data) throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    Path otherKey = dir.resolve("other.key.pem");
    Files.writeString(otherKey, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes())
            .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    SQLException e = assertThrows(SQLException.class, () -> QuiverServer.start(
        ServerOptions.of(data, "127.0.0.1", 0).withTls(ServerOptions.Tls.pem(certificate, otherKey))));
    assertEquals("58030", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());

    ChildJava.Result serve = ChildJava.run(Path.of(System.getProperty("java.home")), List.of(
        "-cp", ChildJava.testClassPath(), "org.quiver.sql.cli.Main", "serve",
        "--data", data.toString(), "--port", "0", "--flight-port", "off", "--channel-port", "0",
        "--tls-cert", certificate.toString(), "--tls-key", otherKey.toString()), null);
    assertEquals(1, serve.exitCode(), serve.output());
    assertTrue(serve.output().contains("does not belong to the certificate"), serve.output());
    assertTrue(!serve.output().contains("\tat "), "no stack trace: " + serve.output());
  }

  private static Properties trusting() {
    Properties info = new Properties();
    info.setProperty("tlsCertificate", certificate.toString());
    return info;
  }

  private static void roundTrip(String url, Properties info) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, info); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE secure (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO secure VALUES (1, [0.5, 0.5])");
      try (ResultSet rs = s.executeQuery("SELECT id, v FROM secure ORDER BY v <-> [0.5, 0.4] LIMIT 1")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
        assertEquals("[0.5,0.5]", rs.getString(2));
      }
    }
  }
}
