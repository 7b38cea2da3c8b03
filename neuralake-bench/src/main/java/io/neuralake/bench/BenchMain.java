package io.neuralake.bench;

import io.neuralake.sample.TpchData;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.storage.S3ProxyServer;
import io.neuralake.storage.FileCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code neuralake bench}: suites that measure Neuralake against its peers in one run. */
@Command(name = "neuralake bench", mixinStandardHelpOptions = true,
    description = "Measure Neuralake against its peers on the same data, in one run; results in bench-results/.",
    subcommands = {BenchMain.Tpch.class, BenchMain.S3.class})
public final class BenchMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options every suite shares. */
  static final class Common {
    @CommandLine.Option(names = "--sf", defaultValue = "1", description = "TPC-H scale factor. Default: ${DEFAULT-VALUE}.")
    double scaleFactor;

    @CommandLine.Option(names = "--runs", defaultValue = "5", description = "Measured runs. Default: ${DEFAULT-VALUE}.")
    int runs;

    @CommandLine.Option(names = "--warmups", defaultValue = "1", description = "Warm-up runs (answers checked). Default: ${DEFAULT-VALUE}.")
    int warmups;

    @CommandLine.Option(names = "--data-dir", defaultValue = "bench-data", description = "Generated data, reused across runs. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @CommandLine.Option(names = "--results", defaultValue = "bench-results", description = "Where results go. Default: ${DEFAULT-VALUE}.")
    Path results;

    @CommandLine.Option(names = "--threads", defaultValue = "0", description = "Engine threads (DuckDB threads, Spark local[N]); 0: one per core.")
    int threads;

    @CommandLine.Option(names = "--heap", defaultValue = "6g", description = "Heap of each worker JVM. Default: ${DEFAULT-VALUE}.")
    String heap;
  }

  @Command(name = "tpch", mixinStandardHelpOptions = true,
      description = "The 22 TPC-H queries: Neuralake (SQL and frames) vs bare DuckDB vs Spark local[N], same Parquet files.")
  static final class Tpch implements Callable<Integer> {
    @CommandLine.Mixin Common common;

    @CommandLine.Option(names = "--queries", defaultValue = "all", description = "e.g. 1,3,6. Default: all 22.")
    String queries;

    @CommandLine.Option(names = "--systems", defaultValue = "neuralake,neuralake-frame,duckdb,spark", split = ",",
        description = "Systems; the first is the baseline of the ratios. Default: ${DEFAULT-VALUE}.")
    List<String> systems;

    @CommandLine.Option(names = "--format", defaultValue = "parquet",
        description = "parquet, or delta (the same data as Delta tables written by Neuralake's writer; Spark reads them with delta-spark).")
    String format;

    @CommandLine.Option(names = "--store", defaultValue = "local",
        description = "local, or s3 (adds Neuralake over a local S3Proxy with a cold and a warm cache).")
    String store;

    @Override
    public Integer call() throws Exception {
      if (!format.equals("parquet") && !format.equals("delta")) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--format " + format
            + " is not a table format; use parquet or delta");
      }
      Path data = (format.equals("delta") ? TpchDataset.ensureDelta(common.dataDir, common.scaleFactor)
          : TpchDataset.ensure(common.dataDir, common.scaleFactor)).toAbsolutePath();
      List<String> all = new ArrayList<>(systems);
      Map<String, String> env = new HashMap<>();
      String s3Location = "";
      S3ProxyServer server = null;
      try {
        if (store.equals("s3")) {
          server = S3Data.start(common.dataDir, data, env);
          s3Location = S3Data.location(data);
          all.add("neuralake-s3-cold");
          all.add("neuralake-s3-warm");
        }
        BenchConfig config = new BenchConfig(data.toString(), common.scaleFactor, s3Location,
            common.dataDir.resolve("cache").toAbsolutePath().toString(), common.threads, format);
        Suite.Plan plan = new Suite.Plan("tpch-sf" + TpchDataset.format(common.scaleFactor) + "-" + format + "-" + store, config, all,
            TpchQueries.parse(queries), common.warmups, common.runs, common.heap, env, Set.copyOf(all));
        Suite.Result result = Suite.run(plan, common.results.resolve("logs"));
        String title = "TPC-H SF " + TpchDataset.format(common.scaleFactor) + ", " + (format.equals("delta")
            ? "Delta tables written by Neuralake" : "Parquet") + " on " + store;
        System.out.println(Report.write(result, all.get(0), Map.of(), common.results, title));
        return result.problems().isEmpty() ? 0 : 3;
      } finally {
        if (server != null) {
          server.close();
        }
      }
    }
  }

  @Command(name = "s3", mixinStandardHelpOptions = true,
      description = "Reads over S3 (a local S3Proxy): cold read throughput vs a plain parallel GET with the AWS SDK,"
          + " and warm (cached) query time vs the same query on local files.")
  static final class S3 implements Callable<Integer> {
    @CommandLine.Mixin Common common;

    @CommandLine.Option(names = "--queries", defaultValue = "scan-lineitem,q01,q06", split = ",",
        description = "scan-<table> (a full read) and TPC-H queries. Default: ${DEFAULT-VALUE}.")
    List<String> queries;

    @Override
    public Integer call() throws Exception {
      Path data = TpchDataset.ensure(common.dataDir, common.scaleFactor).toAbsolutePath();
      Map<String, String> env = new HashMap<>();
      try (S3ProxyServer ignored = S3Data.start(common.dataDir, data, env)) {
        BenchConfig config = new BenchConfig(data.toString(), common.scaleFactor, S3Data.location(data),
            common.dataDir.resolve("cache").toAbsolutePath().toString(), common.threads);
        List<String> systems = List.of("neuralake", "neuralake-s3-warm", "neuralake-s3-cold", "sdk-get");
        List<String> ids = queries.stream().map(q -> q.startsWith("scan-") ? q : TpchQueries.parse(q).get(0)).toList();
        Suite.Plan plan = new Suite.Plan("s3-sf" + TpchDataset.format(common.scaleFactor), config, systems, ids,
            common.warmups, common.runs, common.heap, env, Set.of("neuralake", "neuralake-s3-warm", "neuralake-s3-cold"));
        Suite.Result result = Suite.run(plan, common.results.resolve("logs"));
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (String q : ids) {
          if (q.startsWith("scan-")) {
            bytes.put(q, TpchDataset.bytes(data, q.substring("scan-".length())));
          }
        }
        String title = "Reads over S3 (S3Proxy on loopback), TPC-H SF " + TpchDataset.format(common.scaleFactor);
        System.out.println(Report.write(result, "neuralake", bytes, common.results, title));
        return result.problems().isEmpty() ? 0 : 3;
      }
    }
  }

  /** The dataset on a local S3Proxy, uploaded once and kept with the data. */
  static final class S3Data {
    private S3Data() {}

    static String location(Path data) {
      return "s3://bench/" + data.getFileName();
    }

    static S3ProxyServer start(Path dataRoot, Path data, Map<String, String> env) throws Exception {
      String key = "bench-" + UUID.randomUUID().toString().substring(0, 8);
      String secret = UUID.randomUUID().toString();
      S3ProxyServer server = S3ProxyServer.start(S3ProxyServer.findJar(), dataRoot.resolve("s3proxy").toAbsolutePath(),
          0, key, secret);
      server.createBucket("bench");
      env.put("AWS_ENDPOINT_URL", server.endpoint().toString());
      env.put("AWS_ACCESS_KEY_ID", key);
      env.put("AWS_SECRET_ACCESS_KEY", secret);
      env.put("AWS_ALLOW_HTTP", "true");
      env.put("AWS_REGION", "us-east-1");
      Path marker = dataRoot.resolve("s3proxy").resolve("bench").resolve(data.getFileName().toString()).resolve("_COMPLETE");
      if (!Files.exists(marker)) {
        System.err.println("uploading " + data + " to " + location(data) + " ...");
        try (S3ObjectStore store = new S3ObjectStore(server.clientOptions(),
            new FileCache(Files.createTempDirectory("bench-upload"), 1L << 30, Duration.ZERO));
            Stream<Path> files = Files.walk(data)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            store.putFile(Location.parse(location(data) + "/" + data.relativize(f)), f);
          }
        }
      }
      return server;
    }
  }

  static List<String> tables() {
    return TpchData.tableNames();
  }
}
