package org.quiver.sql.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Builds Jetty's TLS context from PEM files or a key store, checking them before the server starts. */
final class TlsContexts {
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "EdDSA");

  private TlsContexts() {}

  static SslContextFactory.Server server(ServerOptions.Tls tls) throws IOException {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    try {
      if (tls.keystore() != null) {
        String type = tls.keystore().toString().endsWith(".jks") ? "JKS" : "PKCS12";
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(tls.keystore())) {
          store.load(in, tls.keystorePassword().toCharArray());
        }
        factory.setKeyStore(store);
        factory.setKeyStorePassword(tls.keystorePassword());
      } else {
        char[] password = randomPassword();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        PrivateKey key = readKey(tls);
        Certificate[] chain = readCertificates(tls);
        checkPair(tls, key, chain[0]);
        store.setKeyEntry("quiver", key, password, chain);
        factory.setKeyStore(store);
        factory.setKeyStorePassword(new String(password));
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the TLS certificate or key: " + e.getMessage(), e);
    }
    return factory;
  }

  /** The TLS context of {@link #server}'s certificate and key, for a listener of Quiver's own. */
  static SSLContext sslContext(ServerOptions.Tls tls) throws IOException {
    SslContextFactory.Server factory = server(tls);
    try {
      factory.start();
      return factory.getSslContext();
    } catch (Exception e) {
      throw new IOException("cannot use the TLS certificate or key: " + e.getMessage(), e);
    }
  }

  private static Certificate[] readCertificates(ServerOptions.Tls tls)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(tls.certificate())) {
      Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in)
          .toArray(new Certificate[0]);
      if (chain.length == 0) {
        throw new IOException("no certificate in " + tls.certificate());
      }
      return chain;
    }
  }

  private static PrivateKey readKey(ServerOptions.Tls tls) throws IOException {
    String pem = Files.readString(tls.key(), StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PRIVATE KEY-----";
    int start = pem.indexOf(begin);
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (start < 0 || end < start) {
      throw new IOException(tls.key() + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE "
          + "KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // The PEM does not say which algorithm; try the next.
      }
    }
    throw new IOException(tls.key() + ": not an RSA, EC or EdDSA private key");
  }

  /**
   * Fails unless {@code key} is the private half of the certificate's public key: a server with
   * a mismatched pair would start and then fail every handshake. A signature made with the key
   * must verify with the certificate.
   */
  private static void checkPair(ServerOptions.Tls tls, PrivateKey key, Certificate certificate)
      throws IOException, GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (InvalidKeyException | SignatureException e) {
      // The certificate's key is of another algorithm or size than the private key.
      matches = false;
    }
    if (!matches) {
      throw new IOException("the TLS key " + tls.key() + " does not belong to the certificate "
          + tls.certificate() + " (the certificate holds another public key): give the key "
          + "the certificate was issued for");
    }
  }

  private static char[] randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes).toCharArray();
  }
}
