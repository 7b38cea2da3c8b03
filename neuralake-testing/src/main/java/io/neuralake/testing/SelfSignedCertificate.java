package io.neuralake.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made at run time with the
 * JDK's {@code keytool} and written as PEM: the certificate (also the CA a client trusts), its
 * PKCS#8 key, and a PKCS#12 trust store holding the certificate (for JDBC drivers that want one).
 */
public record SelfSignedCertificate(Path certificate, Path key, Path trustStore, String trustStorePassword) {
  private static final String PASSWORD = "test-store-password"; // a throwaway store for a throwaway key

  /** An RSA certificate under {@code dir}, files named {@code NAME.crt}, {@code NAME.key}, {@code NAME.p12}. */
  public static SelfSignedCertificate create(Path dir, String name) {
    return create(dir, name, "RSA");
  }

  /** As {@link #create(Path, String)}, with a key of {@code algorithm} ({@code RSA} or {@code EC}). */
  public static SelfSignedCertificate create(Path dir, String name, String algorithm) {
    try {
      Files.createDirectories(dir);
      Path store = dir.resolve(name + ".p12");
      Files.deleteIfExists(store);
      keytool("-genkeypair", "-alias", "server", "-keyalg", algorithm, "-validity", "2", "-dname", "CN=" + name,
          "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
          "-storepass", PASSWORD, "-keypass", PASSWORD);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      Key key = keys.getKey("server", PASSWORD.toCharArray());
      Path cert = Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE",
          keys.getCertificate("server").getEncoded()), US_ASCII);
      Path keyFile = Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", key.getEncoded()), US_ASCII);
      Path trust = dir.resolve(name + "-trust.p12");
      Files.deleteIfExists(trust);
      keytool("-importcert", "-noprompt", "-alias", "ca", "-file", cert.toString(), "-storetype", "PKCS12",
          "-keystore", trust.toString(), "-storepass", PASSWORD);
      return new SelfSignedCertificate(cert, keyFile, trust, PASSWORD);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not make a test certificate in " + dir + ": " + e, e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), US_ASCII);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    } finally {
      p.destroyForcibly();
    }
  }

  /** A TLS context for clients that trust this certificate (and nothing else). */
  public javax.net.ssl.SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(trustStore)) {
        trust.load(in, trustStorePassword.toCharArray());
      }
      javax.net.ssl.TrustManagerFactory factory =
          javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the trust store " + trustStore + ": " + e.getMessage(), e);
    }
  }
}
