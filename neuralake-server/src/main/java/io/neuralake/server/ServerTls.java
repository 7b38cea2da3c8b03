package io.neuralake.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.server.internal.Tls;
import io.neuralake.spi.Settings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TLS identity: a PEM certificate chain and its PEM PKCS#8 private key (what certbot
 * and {@code openssl} write), read once and checked to belong together, then kept in memory only.
 * With it every door speaks TLS only: HTTPS, Flight SQL over gRPC TLS, PostgreSQL's SSLRequest.
 */
public final class ServerTls {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private final Tls material;

  private ServerTls(List<X509Certificate> chain, PrivateKey key) {
    this.material = new Tls(chain, key);
  }

  /** Reads and checks a certificate chain file and its key file; errors name the file. */
  public static ServerTls load(Path certificate, Path key) {
    return load(certificate, "the TLS certificate", key, "the TLS key");
  }

  /**
   * As {@link #load(Path, Path)}, errors naming where each path came from ({@code --tls-cert},
   * {@code NEURALAKE_SERVER_TLS_KEY}, ...).
   */
  public static ServerTls load(Path certificate, String certificateSetting, Path key, String keySetting) {
    requireNonNull(certificate, "certificate");
    requireNonNull(key, "key");
    List<X509Certificate> chain = readChain(certificate, certificateSetting);
    PrivateKey privateKey = readKey(key, keySetting, chain.getFirst());
    checkPair(chain.getFirst(), privateKey, certificate, certificateSetting, key, keySetting);
    return new ServerTls(chain, privateKey);
  }

  /**
   * TLS from {@code NEURALAKE_SERVER_TLS_CERT} and {@code NEURALAKE_SERVER_TLS_KEY}: both set, read
   * and checked; neither, empty; one alone is an error naming the other.
   */
  public static Optional<ServerTls> fromEnvironment() {
    Optional<Path> cert = Settings.path("NEURALAKE_SERVER_TLS_CERT");
    Optional<Path> key = Settings.path("NEURALAKE_SERVER_TLS_KEY");
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw invalid((cert.isEmpty() ? "NEURALAKE_SERVER_TLS_KEY" : "NEURALAKE_SERVER_TLS_CERT") + " is set but "
          + (cert.isEmpty() ? "NEURALAKE_SERVER_TLS_CERT" : "NEURALAKE_SERVER_TLS_KEY") + " is not: TLS needs both the"
          + " certificate chain and its private key (PEM files)", null);
    }
    return Optional.of(load(cert.get(), "NEURALAKE_SERVER_TLS_CERT", key.get(), "NEURALAKE_SERVER_TLS_KEY"));
  }

  /** The chain, the server's own certificate first. */
  public List<X509Certificate> chain() {
    return material.chain();
  }

  /** What the logs may say of it: the subject and the names it is valid for, never the key. */
  @Override
  public String toString() {
    X509Certificate c = material.chain().getFirst();
    return "certificate " + c.getSubjectX500Principal().getName() + " (valid until " + c.getNotAfter().toInstant()
        + ")";
  }

  /** What the doors use (package-private: the key stays out of the public API). */
  Tls material() {
    return material;
  }

  private static List<X509Certificate> readChain(Path file, String setting) {
    String text = read(file, setting, "certificate chain");
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Matcher m = PEM.matcher(text);
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der(m.group(2), file,
              setting))));
        }
      }
    } catch (CertificateException e) {
      throw invalid(setting + " " + file + " holds a certificate that cannot be read (" + e.getMessage() + "); give the"
          + " PEM certificate chain your certificate authority issued (certbot's fullchain.pem)", e);
    }
    if (chain.isEmpty()) {
      throw invalid(setting + " " + file + " is not a PEM certificate: no '-----BEGIN CERTIFICATE-----' block in it;"
          + " give the PEM certificate chain (certbot's fullchain.pem, or `openssl x509 -in CERT.der -inform der`'s"
          + " output)", null);
    }
    return chain;
  }

  private static PrivateKey readKey(Path file, String setting, X509Certificate certificate) {
    String text = read(file, setting, "private key");
    Matcher m = PEM.matcher(text);
    if (!m.find()) {
      throw invalid(setting + " " + file + " is not a PEM private key: no '-----BEGIN PRIVATE KEY-----' block in it;"
          + " give the PEM PKCS#8 key that goes with the certificate (certbot's privkey.pem)", null);
    }
    String type = m.group(1);
    switch (type) {
      case "PRIVATE KEY" -> { }
      case "ENCRYPTED PRIVATE KEY" -> throw invalid(setting + " " + file + " is an encrypted key; the server cannot ask"
          + " for its passphrase: write it decrypted to a file only the server's user may read (`openssl pkey -in "
          + file + " -out server.key`, then chmod 600 server.key) and give that", null);
      case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw invalid(setting + " " + file + " is a " + type + " (the"
          + " traditional form); give it as PKCS#8: `openssl pkcs8 -topk8 -nocrypt -in " + file + " -out server.key`",
          null);
      default -> throw invalid(setting + " " + file + " holds a PEM '" + type + "' block, not a private key; give the"
          + " PEM PKCS#8 key ('-----BEGIN PRIVATE KEY-----') that goes with the certificate", null);
    }
    String algorithm = certificate.getPublicKey().getAlgorithm();
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der(m.group(2), file, setting)));
    } catch (GeneralSecurityException e) {
      throw invalid(setting + " " + file + " is not a valid " + algorithm + " PKCS#8 private key, and the certificate's"
          + " key is " + algorithm + " (" + e.getMessage() + "); give the key that goes with the certificate", e);
    }
  }

  /** The key must sign what the certificate's public key verifies: else clients would fail every handshake. */
  private static void checkPair(X509Certificate certificate, PrivateKey key, Path certFile, String certSetting,
      Path keyFile, String keySetting) {
    boolean matches;
    try {
      String algorithm = switch (key.getAlgorithm()) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        default -> key.getAlgorithm(); // Ed25519, Ed448: the algorithm is its own signature
      };
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      signer.initVerify(certificate.getPublicKey());
      signer.update(challenge);
      matches = signer.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw invalid(keySetting + " " + keyFile + " is not the private key of the certificate in " + certSetting + " "
          + certFile + " (" + certificate.getSubjectX500Principal().getName() + "); give the key the certificate was"
          + " issued for (certbot writes them side by side as privkey.pem and fullchain.pem)", null);
    }
  }

  private static byte[] der(String base64, Path file, String setting) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw invalid(setting + " " + file + " has a PEM block that is not valid base64 (" + e.getMessage() + ")", e);
    }
  }

  private static String read(Path file, String setting, String what) {
    try {
      return Files.readString(file, ISO_8859_1); // never fails: a binary file is then "not PEM"
    } catch (NoSuchFileException e) {
      throw invalid(setting + " " + file + " does not exist; give the path of the PEM " + what, e);
    } catch (IOException e) {
      throw invalid(setting + " " + file + " cannot be read (" + e + "); give a PEM " + what + " file the server's user"
          + " may read", e);
    }
  }

  private static NeuralakeException invalid(String message, Exception cause) {
    return new NeuralakeException(ErrorCode.INVALID_ARGUMENT, message, cause);
  }
}
