package io.neuralake.server.internal.pg;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: the client proves
 * it knows the password without sending it, and the server proves it knew the password too.
 */
final class Scram {
  static final String MECHANISM = "SCRAM-SHA-256";
  static final int ITERATIONS = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the server keeps of one password: the salt, and the keys derived from it. */
  record Secret(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    static Secret derive(String password, byte[] salt, int iterations) {
      byte[] salted = hi(password, salt, iterations);
      byte[] clientKey = hmac(salted, "Client Key");
      return new Secret(salt, iterations, sha256(clientKey), hmac(salted, "Server Key"));
    }

    static Secret random(String password) {
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      return derive(password, salt, ITERATIONS);
    }
  }

  private final String serverNonce;
  private String clientFirstBare;
  private String gs2Header;
  private String clientNonce;
  private String serverFirst;

  Scram() {
    byte[] n = new byte[18];
    RANDOM.nextBytes(n);
    this.serverNonce = Base64.getEncoder().encodeToString(n);
  }

  /** For tests: a fixed server nonce. */
  Scram(String serverNonce) {
    this.serverNonce = serverNonce;
  }

  /**
   * Reads the client-first message ({@code n,,n=user,r=nonce}) and answers the server-first one
   * with the salt and iterations of {@code secret}. The user name is taken from the startup message,
   * as PostgreSQL does, so the one in the message is ignored.
   */
  String serverFirst(String clientFirst, Secret secret) {
    if (clientFirst.startsWith("p=")) {
      throw refused("the client asked for channel binding, which needs TLS; this server has no TLS configured");
    }
    if (!clientFirst.startsWith("n,") && !clientFirst.startsWith("y,")) {
      throw refused("the client's first SCRAM message does not start with a GS2 header (n,, or y,,)");
    }
    int second = clientFirst.indexOf(',', 2);
    if (second < 0) {
      throw refused("the client's first SCRAM message has no authorization identity field");
    }
    gs2Header = clientFirst.substring(0, second + 1);
    clientFirstBare = clientFirst.substring(second + 1);
    clientNonce = attribute(clientFirstBare, 'r')
        .orElseThrow(() -> refused("the client's first SCRAM message has no nonce (r=)"));
    serverFirst = "r=" + clientNonce + serverNonce + ",s=" + Base64.getEncoder().encodeToString(secret.salt())
        + ",i=" + secret.iterations();
    return serverFirst;
  }

  /**
   * Checks the client-final message's proof against each candidate secret (a user may log in with
   * their password or their token; both were salted with the same salt) and returns the server-final
   * message ({@code v=signature}) of the one that matched, or empty when none did.
   */
  Optional<String> serverFinal(String clientFinal, List<Secret> candidates) {
    int p = clientFinal.lastIndexOf(",p=");
    if (p < 0) {
      throw refused("the client's final SCRAM message has no proof (p=)");
    }
    String withoutProof = clientFinal.substring(0, p);
    String channel = attribute(clientFinal, 'c').orElse("");
    String nonce = attribute(clientFinal, 'r').orElse("");
    if (!channel.equals(Base64.getEncoder().encodeToString(gs2Header.getBytes(UTF_8)))
        || !nonce.equals(clientNonce + serverNonce)) {
      return Optional.empty();
    }
    byte[] proof;
    try {
      proof = Base64.getDecoder().decode(clientFinal.substring(p + 3));
    } catch (IllegalArgumentException e) {
      throw refused("the client's SCRAM proof is not base64");
    }
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    Optional<String> result = Optional.empty();
    for (Secret s : candidates) {
      byte[] signature = hmac(s.storedKey(), authMessage);
      if (proof.length != signature.length) {
        continue;
      }
      byte[] clientKey = new byte[proof.length];
      for (int i = 0; i < proof.length; i++) {
        clientKey[i] = (byte) (proof[i] ^ signature[i]);
      }
      // every candidate is checked, so timing does not tell which one matched
      if (MessageDigest.isEqual(sha256(clientKey), s.storedKey()) && result.isEmpty()) {
        result = Optional.of("v=" + Base64.getEncoder().encodeToString(hmac(s.serverKey(), authMessage)));
      }
    }
    return result;
  }

  private static Optional<String> attribute(String message, char name) {
    for (String part : message.split(",")) {
      if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
        return Optional.of(part.substring(2));
      }
    }
    return Optional.empty();
  }

  private static IllegalArgumentException refused(String why) {
    return new IllegalArgumentException(why);
  }

  static byte[] hi(String password, byte[] salt, int iterations) {
    try {
      // PBKDF2 with HMAC-SHA-256 is SCRAM's Hi(); SASLprep is the identity for the ASCII secrets users have
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    }
  }

  static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
