package io.neuralake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.NeuralakeException;
import io.neuralake.testing.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the TLS files: what certbot and openssl write is taken; anything else is refused naming the file and why. */
class ServerTlsTest {
  @TempDir
  static Path dir;
  static SelfSignedCertificate rsa;
  static SelfSignedCertificate other;

  @BeforeAll
  static void certificates() {
    rsa = SelfSignedCertificate.create(dir, "rsa");
    other = SelfSignedCertificate.create(dir, "other");
  }

  @Test
  void readsAnRsaAndAnEcCertificateWithTheirKeys() {
    ServerTls tls = ServerTls.load(rsa.certificate(), rsa.key());
    assertThat(tls.chain()).hasSize(1);
    assertThat(tls.toString()).contains("CN=rsa").doesNotContain("PRIVATE");
    SelfSignedCertificate ec = SelfSignedCertificate.create(dir, "ec", "EC");
    assertThat(ServerTls.load(ec.certificate(), ec.key()).chain().getFirst().getPublicKey().getAlgorithm())
        .isEqualTo("EC");
  }

  @Test
  void readsWhatOpensslWrites() throws Exception {
    // the README's command for a self-signed certificate (OpenSSL 3 writes the key as PKCS#8)
    Path out = Files.createDirectories(dir.resolve("openssl"));
    Process p;
    try {
      p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365", "-subj",
          "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", "server.key", "-out",
          "server.crt").directory(out.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("openssl could not run (" + e.getMessage() + "): install Debian's openssl", e);
    }
    String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(printed).isZero();
    ServerTls tls = ServerTls.load(out.resolve("server.crt"), out.resolve("server.key"));
    assertThat(tls.chain().getFirst().getSubjectAlternativeNames()).hasSize(2);
  }

  @Test
  void aChainIsReadWhole() throws IOException {
    Path chain = dir.resolve("fullchain.pem");
    Files.writeString(chain, Files.readString(rsa.certificate()) + Files.readString(other.certificate()));
    assertThat(ServerTls.load(chain, rsa.key()).chain()).hasSize(2);
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    assertThatThrownBy(() -> ServerTls.load(rsa.certificate(), "--tls-cert", other.key(), "--tls-key"))
        .isInstanceOf(NeuralakeException.class)
        .hasMessage("--tls-key " + other.key() + " is not the private key of the certificate in --tls-cert "
            + rsa.certificate() + " (CN=rsa); give the key the certificate was issued for (certbot writes them side by"
            + " side as privkey.pem and fullchain.pem)");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> ServerTls.load(missing, "--tls-cert", rsa.key(), "--tls-key"))
        .hasMessage("--tls-cert " + missing + " does not exist; give the path of the PEM certificate chain");
    assertThatThrownBy(() -> ServerTls.load(rsa.certificate(), "--tls-cert", missing, "--tls-key"))
        .hasMessage("--tls-key " + missing + " does not exist; give the path of the PEM private key");
  }

  @Test
  void aFileThatIsNotPemIsRefused() throws IOException {
    Path der = Files.write(dir.resolve("cert.der"), new byte[] {0x30, (byte) 0x82, 0x01, (byte) 0xff, (byte) 0xfe});
    assertThatThrownBy(() -> ServerTls.load(der, "--tls-cert", rsa.key(), "--tls-key"))
        .hasMessageStartingWith("--tls-cert " + der + " is not a PEM certificate: no '-----BEGIN CERTIFICATE-----'"
            + " block in it");
    // the files swapped: the key where the certificate goes, and the other way round
    assertThatThrownBy(() -> ServerTls.load(rsa.key(), "--tls-cert", rsa.certificate(), "--tls-key"))
        .hasMessageStartingWith("--tls-cert " + rsa.key() + " is not a PEM certificate");
    assertThatThrownBy(() -> ServerTls.load(rsa.certificate(), "--tls-cert", rsa.certificate(), "--tls-key"))
        .hasMessageStartingWith("--tls-key " + rsa.certificate() + " holds a PEM 'CERTIFICATE' block, not a private"
            + " key");
    Path garbage = Files.writeString(dir.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n"
        + "-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ServerTls.load(rsa.certificate(), "--tls-cert", garbage, "--tls-key"))
        .hasMessageStartingWith("--tls-key " + garbage + " is not a valid RSA PKCS#8 private key, and the certificate's"
            + " key is RSA");
  }

  @Test
  void anEncryptedOrTraditionalKeyIsRefusedSayingHowToConvertIt() throws IOException {
    Path encrypted = Files.writeString(dir.resolve("encrypted.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
        + "-----END ENCRYPTED PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ServerTls.load(rsa.certificate(), "--tls-cert", encrypted, "NEURALAKE_SERVER_TLS_KEY"))
        .hasMessage("NEURALAKE_SERVER_TLS_KEY " + encrypted + " is an encrypted key; the server cannot ask for its"
            + " passphrase: write it decrypted to a file only the server's user may read (`openssl pkey -in "
            + encrypted + " -out server.key`, then chmod 600 server.key) and give that");
    Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
        + "-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ServerTls.load(rsa.certificate(), "--tls-cert", pkcs1, "--tls-key"))
        .hasMessage("--tls-key " + pkcs1 + " is a RSA PRIVATE KEY (the traditional form); give it as PKCS#8:"
            + " `openssl pkcs8 -topk8 -nocrypt -in " + pkcs1 + " -out server.key`");
  }

  @Test
  void theEnvironmentNeedsBothFiles() {
    assertThat(ServerTls.fromEnvironment()).isEmpty();
    System.setProperty("neuralake.server.tls.cert", rsa.certificate().toString());
    try {
      assertThatThrownBy(ServerTls::fromEnvironment).hasMessage("NEURALAKE_SERVER_TLS_CERT is set but"
          + " NEURALAKE_SERVER_TLS_KEY is not: TLS needs both the certificate chain and its private key (PEM files)");
      System.setProperty("neuralake.server.tls.key", other.key().toString());
      assertThatThrownBy(ServerTls::fromEnvironment).hasMessageStartingWith("NEURALAKE_SERVER_TLS_KEY " + other.key()
          + " is not the private key of the certificate in NEURALAKE_SERVER_TLS_CERT " + rsa.certificate());
      System.setProperty("neuralake.server.tls.key", rsa.key().toString());
      assertThat(ServerTls.fromEnvironment()).isPresent();
    } finally {
      System.clearProperty("neuralake.server.tls.cert");
      System.clearProperty("neuralake.server.tls.key");
    }
  }
}
