package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blueprint's MinIO flow, done with `neuralake s3 serve`, `neuralake cp` and the demo on S3. */
class S3CliIT {
  @TempDir static Path work;
  static Process server;
  static Map<String, String> env = new HashMap<>();

  @BeforeAll
  static void serve() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    env.put("AWS_ACCESS_KEY_ID", "local-" + UUID.randomUUID().toString().substring(0, 6));
    env.put("AWS_SECRET_ACCESS_KEY", UUID.randomUUID().toString());
    Path log = work.resolve("server.log");
    server = Cli.startJar(work, env, log, "s3", "serve", "--dir", work.resolve("s3data").toString(),
        "--port", Integer.toString(port), "--bucket", "neuralake-bucket");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (!Files.readString(log).contains("Press Ctrl-C to stop.")) {
      assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
      assertThat(Instant.now()).as(Files.readString(log)).isBefore(deadline);
      Thread.sleep(200);
    }
    assertThat(Files.readString(log)).contains("export AWS_ENDPOINT_URL=http://127.0.0.1:" + port);
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + port);
    env.put("AWS_ALLOW_HTTP", "true");
    env.put("AWS_REGION", "us-east-1");
    env.put("NEURALAKE_CACHE_DIR", work.resolve("cache").toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.destroy();
    }
  }

  @Test
  void copyThenQueryFromS3() throws Exception {
    Cli.Result demo = Cli.jar(work, env, "demo", "--dir", "staging");
    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    Cli.Result cp = Cli.jar(work, env, "cp", work.resolve("staging/parts.parquet").toString(), "s3://neuralake-bucket/parts.parquet");
    assertThat(cp.exitCode()).as(cp.toString()).isZero();
    assertThat(cp.out()).contains("copied 1 file");
    Cli.Result folder = Cli.jar(work, env, "cp", work.resolve("staging/spikes").toString(), "s3://neuralake-bucket/spikes");
    assertThat(folder.out()).contains("copied 9 files");
    assertThat(work.resolve("s3data/neuralake-bucket/spikes/implant_id=4595/date=2024-04-28/part-0.parquet")).exists();

    Map<String, String> lakeEnv = new HashMap<>(env);
    lakeEnv.put("NEURALAKE_LAKE_ROOT", "s3://neuralake-bucket");
    Cli.Result q = Cli.jar(work, lakeEnv, "query", "--catalog", work.resolve("staging/catalog").toString(), "bci.spikes",
        "--filter", "implant_id = 4595", "--filter", "date = '2024-04-28'", "--columns", "channel", "--format", "csv");
    assertThat(q.exitCode()).as(q.toString()).isZero();
    assertThat(q.out().lines().count()).isEqualTo(2001);
  }

  @Test
  void theDemoRunsAgainstTheLocalS3Endpoint() {
    Cli.Result r = Cli.jar(work, env, "demo", "--dir", "s3demo", "--lake", "s3://neuralake-bucket/demo");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("shape: (4, 4)").contains("Supplier#5")
        .contains("prefix=s3://neuralake-bucket/demo/spikes/implant_id=4595/").contains("files=2/2");
    assertThat(work.resolve("s3data/neuralake-bucket/demo/parts.parquet")).exists();
  }

  /** A catalog site or psql's \d must never download a lake: describe reads a listing and one footer. */
  @Test
  void describeOnS3ShowsDetailsWithoutFetchingData() throws Exception {
    Cli.Result demo = Cli.jar(work, env, "demo", "--dir", "s3describe", "--lake", "s3://neuralake-bucket/describe");
    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    Map<String, String> lakeEnv = new HashMap<>(env);
    lakeEnv.put("NEURALAKE_LAKE_ROOT", "s3://neuralake-bucket/describe");
    Path cache = work.resolve("describe-cache");
    lakeEnv.put("NEURALAKE_CACHE_DIR", cache.toString());
    Cli.Result r = Cli.jar(work, lakeEnv, "describe", "--catalog", work.resolve("s3describe/catalog").toString(), "bci.spikes");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("bci.spikes (parquet table)", "files:           9", "size:", "MB (", "bytes)",
        "last modified:", "schema:", "spike_count");
    try (var files = Files.walk(cache)) {
      assertThat(files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("locks")))
          .as("nothing fetched into the cache").isEmpty();
    } catch (java.nio.file.NoSuchFileException none) {
      // no cache folder at all: nothing was fetched
    }
    Cli.Result delta = Cli.jar(work, lakeEnv, "describe", "--catalog", work.resolve("s3describe/catalog").toString(),
        "tpch.orders");
    assertThat(delta.exitCode()).as(delta.toString()).isZero();
    assertThat(delta.out()).contains("tpch.orders (delta table)", "version:", "last modified:", "files:", "rows:",
        "partition columns: o_orderstatus", "schema:", "o_orderkey");
  }

  @Test
  void theDemoDoesNotOverwriteObjectsItDidNotWrite() throws Exception {
    Path mine = Files.writeString(work.resolve("mine.parquet"), "my own data");
    Cli.Result cp = Cli.jar(work, env, "cp", mine.toString(), "s3://neuralake-bucket/mine/parts.parquet");
    assertThat(cp.exitCode()).as(cp.toString()).isZero();
    Cli.Result r = Cli.jar(work, env, "demo", "--dir", "s3mine", "--lake", "s3://neuralake-bucket/mine");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.err()).contains("s3://neuralake-bucket/mine already holds [parts.parquet]").contains("--reset");
    assertThat(work.resolve("s3data/neuralake-bucket/mine/parts.parquet")).hasContent("my own data");
  }

  @Test
  void aPortInUseIsRefused() {
    Cli.Result r = Cli.jar(work, env, "s3", "serve", "--dir", "other", "--port", env.get("AWS_ENDPOINT_URL").replaceFirst(".*:", ""));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("port " + env.get("AWS_ENDPOINT_URL").replaceFirst(".*:", "") + " on 127.0.0.1 is already in use")
        .contains("--port");
    assertThat(r.out()).doesNotContain("serving");
  }

  /** The README's walkthrough passes a relative folder, ./s3data; S3Proxy answered 400 to every request then. */
  @Test
  void aRelativeFolderWithDotSegmentsServes() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = work.resolve("relative.log");
    Process relative = Cli.startJar(work, env, log, "s3", "serve", "--dir", "./relative-s3", "--port", Integer.toString(port),
        "--bucket", "relative-bucket");
    try {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
      while (!Files.readString(log).contains("Press Ctrl-C to stop.")) {
        assertThat(relative.isAlive()).as(Files.readString(log)).isTrue();
        assertThat(Instant.now()).as(Files.readString(log)).isBefore(deadline);
        Thread.sleep(200);
      }
      assertThat(Files.readString(log)).contains("serving " + work.resolve("relative-s3") + " ");
      Map<String, String> here = new HashMap<>(env);
      here.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + port);
      Cli.Result cp = Cli.jar(work, here, "cp", log.toString(), "s3://relative-bucket/copied.log");
      assertThat(cp.exitCode()).as(cp.toString()).isZero();
      assertThat(work.resolve("relative-s3/relative-bucket/copied.log")).exists();
    } finally {
      relative.destroy();
    }
  }

  @Test
  void badCredentialsAreReportedPlainly() {
    Map<String, String> wrong = new HashMap<>(env);
    wrong.put("AWS_SECRET_ACCESS_KEY", "wrong");
    wrong.put("NEURALAKE_S3_MAX_ATTEMPTS", "1");
    Cli.Result r = Cli.jar(work, wrong, "cp", work.resolve("server.log").toString(), "s3://neuralake-bucket/x.log");
    assertThat(r.exitCode()).isEqualTo(6);
    assertThat(r.err()).contains("access denied (403").contains("AWS_SECRET_ACCESS_KEY");
  }
}
