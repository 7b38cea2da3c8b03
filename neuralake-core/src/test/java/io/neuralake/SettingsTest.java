package io.neuralake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.engine.EngineOptions;
import io.neuralake.internal.Env;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.S3Options;
import io.neuralake.table.LakeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting of the README's tables, given a bad value: a one-line {@link InvalidSettingException}
 * naming the setting and a valid example. System properties stand in for the variables (they win
 * over them), so a bad value and then a corrected one are read in the same process.
 */
class SettingsTest {
  @TempDir Path tmp;

  private static void rejects(String variable, String bad, Supplier<?> read, String example) {
    String property = variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    System.setProperty(property, bad);
    try {
      assertThatThrownBy(read::get).isInstanceOf(InvalidSettingException.class)
          .hasMessageStartingWith("-D" + property + "='" + bad + "' is not valid: ")
          .hasMessageContaining("e.g. -D" + property + "=" + example)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
          .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo("-D" + property));
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void engineSettings() {
    rejects("NEURALAKE_THREADS", "many", EngineOptions::fromEnvironment, "4");
    rejects("NEURALAKE_THREADS", "-2", EngineOptions::fromEnvironment, "4");
    rejects("NEURALAKE_MEMORY_LIMIT", "lots", EngineOptions::fromEnvironment, "4GB");
    rejects("NEURALAKE_MEMORY_LIMIT", "4", EngineOptions::fromEnvironment, "4GB");
    rejects("NEURALAKE_TEMP_DIR", "bad\0path", EngineOptions::fromEnvironment, "/var/tmp/neuralake");
  }

  @Test
  void cacheSettings() {
    rejects("NEURALAKE_CACHE_MAX_BYTES", "lots", FileCache::fromEnvironment, "10GB");
    rejects("NEURALAKE_CACHE_MAX_BYTES", "-5GB", FileCache::fromEnvironment, "10GB");
    rejects("NEURALAKE_CACHE_MAX_BYTES", "0", FileCache::fromEnvironment, "10GB");
    rejects("NEURALAKE_CACHE_MAX_BYTES", "99999999TiB", FileCache::fromEnvironment, "10GB");
    rejects("NEURALAKE_CACHE_DIR", "bad\0path", FileCache::fromEnvironment, "/var/tmp/neuralake");
    rejects("XDG_CACHE_HOME", "bad\0path", FileCache::fromEnvironment, "/var/tmp/neuralake");
    assertThat(Env.parseBytes("X", "10GB")).isEqualTo(10_000_000_000L);
    assertThat(Env.parseBytes("X", "512 MiB")).isEqualTo(512L << 20);
    assertThat(Env.parseBytes("X", "1234")).isEqualTo(1234);
    assertThat(Env.parseBytes("X", "1.5kib")).isEqualTo(1536);
  }

  @Test
  void s3ProxyJar() {
    rejects("NEURALAKE_S3PROXY_JAR", "bad\0path", io.neuralake.testing.S3ProxyServer::findJar, "/var/tmp/neuralake");
  }

  @Test
  void lakeRoot() {
    rejects("NEURALAKE_LAKE_ROOT", "ftp://host/lake", LakeContext::rootFromEnvironment, "s3://my-bucket/lake");
    rejects("NEURALAKE_LAKE_ROOT", "s3://", LakeContext::rootFromEnvironment, "s3://my-bucket/lake");
  }

  @Test
  void s3Settings() {
    rejects("AWS_ENDPOINT_URL", "127.0.0.1:9000", S3Options::fromEnvironment, "http://127.0.0.1:9000");
    rejects("AWS_ENDPOINT_URL", "http://exa mple", S3Options::fromEnvironment, "http://127.0.0.1:9000");
    rejects("AWS_ENDPOINT_URL_S3", "ftp://host", S3Options::fromEnvironment, "http://127.0.0.1:9000");
    rejects("AWS_ALLOW_HTTP", "yep", S3Options::fromEnvironment, "true");
    rejects("AWS_S3_PATH_STYLE", "sure", S3Options::fromEnvironment, "true");
    rejects("NEURALAKE_S3_MAX_ATTEMPTS", "ten", S3Options::fromEnvironment, "4");
    rejects("NEURALAKE_S3_MAX_ATTEMPTS", "0", S3Options::fromEnvironment, "4");
    rejects("AWS_REGION", "US East 1", S3Options::fromEnvironment, "us-east-1");
    rejects("AWS_DEFAULT_REGION", "us_east_1", S3Options::fromEnvironment, "us-east-1");
    rejects("ARCHIVE_AWS_ENDPOINT_URL", "nope", () -> S3Options.fromEnvironment("ARCHIVE_"), "http://127.0.0.1:9000");
    assertThat(Env.parseBoolean("X", "ON")).isTrue();
    assertThat(Env.parseBoolean("X", "0")).isFalse();
  }

  @Test
  void oneKeyWithoutTheOtherNamesTheMissingOne() {
    System.setProperty("archive.aws.access.key.id", "AKIA");
    try {
      assertThatThrownBy(() -> S3Options.fromEnvironment("ARCHIVE_")).isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining("ARCHIVE_AWS_SECRET_ACCESS_KEY");
    } finally {
      System.clearProperty("archive.aws.access.key.id");
    }
  }

  /**
   * The shared cache and engine, created on first use from the settings: a bad value fails that
   * use with the setting's message, and a corrected one works in the same process (a class-holder
   * constant would have failed with ExceptionInInitializerError and then NoClassDefFoundError).
   */
  @Test
  void sharedObjectsRecoverFromABadSettingInTheSameProcess() throws Exception {
    Path out = tmp.resolve("out.txt");
    Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        SettingsRetry.class.getName(), tmp.resolve("cache").toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    List<String> lines = Files.readAllLines(out).stream().filter(l -> l.startsWith("> ")).toList();
    assertThat(p.exitValue()).as(Files.readString(out)).isZero();
    assertThat(lines).containsExactly(
        "> InvalidSettingException: -Dneuralake.cache.max.bytes='lots' is not valid: write a positive size in bytes,"
            + " optionally with a unit (KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. -Dneuralake.cache.max.bytes=10GB",
        "> cache max bytes 2000000",
        "> InvalidSettingException: -Dneuralake.threads='x' is not valid: the engine's worker threads (0: one per core),"
            + " a whole number of at least 0, e.g. -Dneuralake.threads=4",
        "> engine threads 2");
  }
}
