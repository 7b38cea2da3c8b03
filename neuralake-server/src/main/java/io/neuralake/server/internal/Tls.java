package io.neuralake.server.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A checked certificate chain and its key, in memory only, in the forms the doors take: a JDK
 * {@link SSLContext} (PostgreSQL), a keystore (Jetty), PEM bytes (gRPC). Never printed.
 */
public record Tls(List<X509Certificate> chain, PrivateKey key) {
  /** TLS 1.2 and 1.3 only: older versions have known weaknesses and no current client needs them. */
  public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  /** The in-memory keystore's password: it protects nothing (the store stays in this process); the API wants one. */
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  public Tls {
    chain = List.copyOf(chain);
  }

  /** A server-side TLS context over the key. */
  public SSLContext sslContext() {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore(), IN_MEMORY);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot build a TLS context from a checked key: " + e, e);
    }
  }

  /** The key and chain as an in-memory keystore, opened with {@link #keyStorePassword()}. */
  public KeyStore keyStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, IN_MEMORY, chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("the JDK cannot hold a checked key in a keystore: " + e, e);
    }
  }

  public String keyStorePassword() {
    return new String(IN_MEMORY);
  }

  /** The chain as PEM. */
  public byte[] chainPem() {
    StringBuilder pem = new StringBuilder();
    try {
      for (X509Certificate c : chain) {
        pem.append(pem("CERTIFICATE", c.getEncoded()));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a parsed certificate cannot be encoded again: " + e, e);
    }
    return pem.toString().getBytes(US_ASCII);
  }

  /** The key as PKCS#8 PEM. */
  public byte[] keyPem() {
    return pem("PRIVATE KEY", key.getEncoded()).getBytes(US_ASCII);
  }

  /** One PEM block: base64 in 64-character lines between BEGIN and END. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  @Override
  public String toString() {
    return "Tls[" + chain.getFirst().getSubjectX500Principal().getName() + "]"; // never the key
  }
}
