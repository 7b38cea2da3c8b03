package io.neuralake.bench;

import io.neuralake.sample.TpchData;
import io.neuralake.storage.Location;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.testing.S3ProxyServer;
import io.neuralake.storage.FileCache;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    subcommands = {BenchMain.Tpch.class, BenchMain.S3.class, BenchMain.Ingest.class, BenchMain.Overhead.class, BenchMain.Metadata.class,
      BenchMain.Site.class, BenchMain.Server.class, BenchMain.ServeMemory.class, BenchMain.Jdbc.class, BenchMain.Lake.class})
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
        description = "Systems (also spark-neuralake: Spark through the Neuralake connector); the first is the baseline of the ratios. Default: ${DEFAULT-VALUE}.")
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

  @Command(name = "overhead", mixinStandardHelpOptions = true,
      description = "Per-query overhead over bare DuckDB (a one-row query, warm) and the time from cancel() to an idle engine.")
  static final class Overhead implements Callable<Integer> {
    @CommandLine.Option(names = "--runs", defaultValue = "200", description = "Measured one-row queries. Default: ${DEFAULT-VALUE}.")
    int runs;

    @CommandLine.Option(names = "--warmups", defaultValue = "50", description = "Default: ${DEFAULT-VALUE}.")
    int warmups;

    @CommandLine.Option(names = "--data-dir", defaultValue = "bench-data", description = "Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @CommandLine.Option(names = "--threads", defaultValue = "0", description = "Engine threads; 0: one per core.")
    int threads;

    @CommandLine.Option(names = "--results", defaultValue = "bench-results", description = "Default: ${DEFAULT-VALUE}.")
    Path results;

    @Override
    public Integer call() throws Exception {
      // the query reads the 25-row nation table, whatever the scale factor: the smallest will do
      Path data = TpchDataset.ensure(dataDir, 0.01).toAbsolutePath();
      String report = OverheadBench.run(data, runs, warmups, threads);
      Files.createDirectories(results);
      Files.writeString(results.resolve("overhead.md"), report);
      System.out.println(report);
      return 0;
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

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Delta ingestion: bulk append throughput (Neuralake vs Spark + delta-spark), streaming commit"
          + " latency with 1, 4 and 8 writers on local disk and S3Proxy, and reads after many small commits"
          + " before and after compaction + checkpoint.")
  static final class Ingest implements Callable<Integer> {
    @CommandLine.Mixin Common common;

    @CommandLine.Option(names = "--tables", defaultValue = "lineitem,orders", split = ",", description = "Bulk append these TPC-H tables.")
    List<String> tables;

    @CommandLine.Option(names = "--appends", defaultValue = "40", description = "Appends per streaming writer. Default: ${DEFAULT-VALUE}.")
    int appends;

    @CommandLine.Option(names = "--rows-per-append", defaultValue = "100", description = "Default: ${DEFAULT-VALUE}.")
    int rowsPerAppend;

    @CommandLine.Option(names = "--commits", defaultValue = "1000", description = "Small commits before the read test. Default: ${DEFAULT-VALUE}.")
    int commits;

    @CommandLine.Option(names = "--interval-ms", defaultValue = "20", description = "Each writer appends this often. Default: ${DEFAULT-VALUE}.")
    long intervalMs;

    @CommandLine.Option(names = "--max-latency-ms", defaultValue = "50", description = "The writers' latency bound. Default: ${DEFAULT-VALUE}.")
    long maxLatencyMs;

    @CommandLine.Option(names = "--stores", defaultValue = "local,s3proxy", split = ",",
        description = "Latency: on these stores (local, s3proxy). Default: ${DEFAULT-VALUE}.")
    List<String> stores;

    @CommandLine.Option(names = "--thread-writers", defaultValue = "1,4,8", split = ",",
        description = "Latency: runs with this many writers as threads of one process (0: none). Default: ${DEFAULT-VALUE}.")
    List<Integer> threadWriters;

    @CommandLine.Option(names = "--process-writers", defaultValue = "4,8", split = ",",
        description = "Latency: runs with this many writers as processes (0: none). Default: ${DEFAULT-VALUE}.")
    List<Integer> processWriters;

    @CommandLine.Option(names = "--host-lock", defaultValue = "off", split = ",",
        description = "Latency: writers without (off) and/or with (on) the host-local commit lock. Default: ${DEFAULT-VALUE}.")
    List<String> hostLock;

    @CommandLine.Option(names = "--writer-jvm-options", defaultValue = "",
        description = "Latency: extra JVM options of each writer process, space-separated (e.g. -XX:TieredStopAtLevel=1,"
            + " to see how much of their latency is compiling). Default: none.")
    String writerJvmOptions;

    @CommandLine.Option(names = "--parts", defaultValue = "bulk,latency,commits", split = ",",
        description = "Which measurements: bulk (append throughput vs Spark), latency (streaming writers), commits"
            + " (reads after many small commits). Default: ${DEFAULT-VALUE}.")
    Set<String> parts;

    @Override
    public Integer call() throws Exception {
      Set<String> unknown = new java.util.TreeSet<>(parts);
      unknown.removeAll(Set.of("bulk", "latency", "commits"));
      if (!unknown.isEmpty()) {
        throw new CommandLine.ParameterException(new CommandLine(this), "unknown --parts " + unknown
            + "; choose from bulk, latency, commits");
      }
      IngestBench.LatencyPlan latencyPlan = latencyPlan();
      Path work = IngestBench.workDir(common.dataDir.toAbsolutePath());
      StringBuilder md = new StringBuilder();
      if (parts.contains("bulk")) {
        md.append(bulk(work));
      }
      if (parts.contains("latency")) {
        System.err.println("streaming latency ...");
        md.append("\nStreaming commit latency: each writer appends ").append(rowsPerAppend).append(" rows every ")
            .append(intervalMs).append(" ms (").append(appends).append(" appends), latency bound ").append(maxLatencyMs)
            .append(" ms; an append's latency is the time until its rows are committed:\n\n")
            .append(IngestBench.latencyTable(work, appends, rowsPerAppend, intervalMs, Duration.ofMillis(maxLatencyMs), latencyPlan))
            .append("\nCPU: the writing processes' CPU time during the run (all their threads; summed over writer processes),"
                + " per committed append and per commit (distinct table versions written).\n")
            .append(latencyPlan.writerJvmOptions().isEmpty() ? "" : "Writer processes ran with the JVM options `"
                + String.join(" ", latencyPlan.writerJvmOptions()) + "`.\n");
      }
      if (parts.contains("commits")) {
        System.err.println(commits + " small commits ...");
        md.append("\nReads after ").append(commits).append(" commits of 10 rows (cold caches, median of ")
            .append(common.runs).append("):\n\n").append(IngestBench.smallCommitsTable(work, commits, common.runs));
      }
      Files.createDirectories(common.results);
      Path out = common.results.resolve("ingest-" + LocalDateTime.now().toString().replace(':', '-') + ".md");
      Files.writeString(out, md.toString());
      System.out.println(md + "\n(written to " + out + ")");
      return 0;
    }

    private IngestBench.LatencyPlan latencyPlan() {
      for (String s : stores) {
        if (!s.equals("local") && !s.equals("s3proxy")) {
          throw new CommandLine.ParameterException(new CommandLine(this), "unknown --stores " + s + "; choose from local, s3proxy");
        }
      }
      List<Boolean> lock = new java.util.ArrayList<>();
      for (String l : hostLock) {
        if (!l.equals("off") && !l.equals("on")) {
          throw new CommandLine.ParameterException(new CommandLine(this), "--host-lock takes off and/or on; got " + l);
        }
        lock.add(l.equals("on"));
      }
      if (threadWriters.stream().anyMatch(w -> w < 0) || processWriters.stream().anyMatch(w -> w < 0)) {
        throw new CommandLine.ParameterException(new CommandLine(this), "writer counts must be 0 (none) or more");
      }
      List<String> jvmOptions = writerJvmOptions.isBlank() ? List.of() : List.of(writerJvmOptions.trim().split("\\s+"));
      if (jvmOptions.stream().anyMatch(o -> !o.startsWith("-"))) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--writer-jvm-options takes JVM options, each"
            + " starting with -; got " + writerJvmOptions);
      }
      return new IngestBench.LatencyPlan(stores, threadWriters.stream().filter(w -> w > 0).toList(),
          processWriters.stream().filter(w -> w > 0).toList(), lock, jvmOptions);
    }

    /**
     * Markdown: bulk appends of TPC-H tables by Neuralake, by Spark + delta-spark, and DuckDB's copy of
     * the same rows to Parquet (the practical limit), in worker processes.
     */
    private String bulk(Path work) throws Exception {
      Path data = TpchDataset.ensure(common.dataDir, common.scaleFactor).toAbsolutePath();
      BenchConfig config = new BenchConfig(data.toString(), common.scaleFactor, "", work.toString(), common.threads);
      List<String> systems = List.of("neuralake-append", "duckdb-copy", "spark-append");
      List<String> queries = tables.stream().map(t -> "append-" + t).toList();
      Suite.Plan plan = new Suite.Plan("ingest-sf" + TpchDataset.format(common.scaleFactor), config, systems, queries,
          common.warmups, common.runs, common.heap, Map.of(), Set.of());
      Suite.Result result = Suite.run(plan, common.results.resolve("logs"));
      Map<String, Long> bytes = new LinkedHashMap<>();
      for (String t : tables) {
        bytes.put("append-" + t, TpchDataset.bytes(data, t));
      }
      StringBuilder md = new StringBuilder();
      md.append(Report.markdown(result, "neuralake-append", bytes, "Bulk append to a new Delta table, TPC-H SF "
          + TpchDataset.format(common.scaleFactor) + " (MB/s of the source Parquet)", Report.machine()));
      md.append("\nRows per second (median run):\n\n| table | rows | neuralake-append | duckdb-copy | spark-append |\n|---|---|---|---|---|\n");
      for (String t : tables) {
        long rows = countRows(data, t);
        md.append("| ").append(t).append(" | ").append(rows);
        for (String s : systems) {
          double seconds = Report.median(result.nanos().get(s).get("append-" + t)) / 1e9;
          md.append(" | ").append(String.format(Locale.ROOT, "%,.0f", rows / seconds));
        }
        md.append(" |\n");
      }
      return md.toString();
    }

    private static long countRows(Path data, String table) throws Exception {
      try (var c = DriverManager.getConnection("jdbc:duckdb:");
          var rs = c.createStatement().executeQuery("SELECT count(*) FROM read_parquet('" + data.resolve(table) + "/*.parquet')")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Command(name = "metadata", mixinStandardHelpOptions = true,
      description = "describe and schema() of a Parquet and a Delta table of many files on S3 (a local S3Proxy):"
          + " requests, bytes read and time, from a cold cache.")
  static final class Metadata implements Callable<Integer> {
    @CommandLine.Option(names = "--files", defaultValue = "1000", description = "Files per table. Default: ${DEFAULT-VALUE}.")
    int files;

    @CommandLine.Option(names = "--runs", defaultValue = "3", description = "Measured runs. Default: ${DEFAULT-VALUE}.")
    int runs;

    @CommandLine.Option(names = "--data-dir", defaultValue = "bench-data", description = "Generated data, reused across runs. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @CommandLine.Option(names = "--results", defaultValue = "bench-results", description = "Where results go. Default: ${DEFAULT-VALUE}.")
    Path results;

    @Override
    public Integer call() throws Exception {
      String md = MetadataBench.run(dataDir, files, runs);
      Files.createDirectories(results);
      Path out = results.resolve("metadata-" + LocalDateTime.now().toString().replace(':', '-') + ".md");
      Files.writeString(out, md);
      System.out.println(md + "\n(written to " + out + ")");
      return 0;
    }
  }

  @Command(name = "site", mixinStandardHelpOptions = true,
      description = "The catalog site for a generated catalog of many tables: generation time (wall and CPU), search"
          + " index size, and a table page's load time from file:// in headless Chromium.")
  static final class Site implements Callable<Integer> {
    @CommandLine.Option(names = "--tables", defaultValue = "1000", description = "Tables. Default: ${DEFAULT-VALUE}.")
    int tables;

    @CommandLine.Option(names = "--per-database", defaultValue = "50", description = "Tables per database. Default: ${DEFAULT-VALUE}.")
    int perDatabase;

    @CommandLine.Option(names = "--runs", defaultValue = "3", description = "Measured generations. Default: ${DEFAULT-VALUE}.")
    int runs;

    @CommandLine.Option(names = "--loads", defaultValue = "10", description = "Measured page loads. Default: ${DEFAULT-VALUE}.")
    int loads;

    @CommandLine.Option(names = "--data-dir", defaultValue = "bench-data", description = "Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @CommandLine.Option(names = "--results", defaultValue = "bench-results", description = "Default: ${DEFAULT-VALUE}.")
    Path results;

    @Override
    public Integer call() throws Exception {
      String md = SiteBench.run(dataDir, tables, perDatabase, runs, loads);
      Files.createDirectories(results);
      Path out = results.resolve("site-" + LocalDateTime.now().toString().replace(':', '-') + ".md");
      Files.writeString(out, md);
      System.out.println(md + "\n(written to " + out + ")");
      return 0;
    }
  }

  @Command(name = "server", mixinStandardHelpOptions = true,
      description = "The server's doors, in-process on loopback: p50/p99 latency of a one-partition REST read and of a"
          + " small aggregate over HTTP, Flight SQL and PostgreSQL wire with 1 and 16 clients; throughput of a large"
          + " result over Flight SQL and HTTP Arrow vs in-process. A door or driver that is missing is reported as not"
          + " available.")
  static final class Server implements Callable<Integer> {
    @CommandLine.Option(names = "--sf", defaultValue = "1", description = "TPC-H scale factor. Default: ${DEFAULT-VALUE}.")
    double scaleFactor;

    @CommandLine.Option(names = "--requests", defaultValue = "200", description = "Measured requests per client. Default: ${DEFAULT-VALUE}.")
    int requests;

    @CommandLine.Option(names = "--warmups", defaultValue = "20", description = "Warm-up requests per client. Default: ${DEFAULT-VALUE}.")
    int warmups;

    @CommandLine.Option(names = "--clients", defaultValue = "1,16", split = ",", description = "Concurrent clients. Default: ${DEFAULT-VALUE}.")
    List<Integer> clients;

    @CommandLine.Option(names = "--large-runs", defaultValue = "3", description = "Measured runs of the large result. Default: ${DEFAULT-VALUE}.")
    int largeRuns;

    @CommandLine.Option(names = "--data-dir", defaultValue = "bench-data", description = "Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @CommandLine.Option(names = "--results", defaultValue = "bench-results", description = "Default: ${DEFAULT-VALUE}.")
    Path results;

    @Override
    public Integer call() throws Exception {
      Path data = TpchDataset.ensure(dataDir, scaleFactor).toAbsolutePath();
      System.out.println(ServerBench.run(data, dataDir.toAbsolutePath(),
          new ServerBench.Plan(scaleFactor, requests, warmups, clients, largeRuns), results));
      return 0;
    }
  }

  @Command(name = "serve-memory", mixinStandardHelpOptions = true,
      description = "A result larger than the server's memory (TPC-H lineitem) streamed over HTTP as Arrow, CSV, JSON and"
          + " Parquet by a server in a JVM of its own with a small heap and engine memory limit: its peak RSS and heap,"
          + " and the CPU of server and client, against the same result read in-process and held whole (what a"
          + " buffering server must hold). Linux only (reads /proc).")
  static final class ServeMemory implements Callable<Integer> {
    @CommandLine.Option(names = "--sf", defaultValue = "1", description = "TPC-H scale factor. Default: ${DEFAULT-VALUE}.")
    double scaleFactor;

    @CommandLine.Option(names = "--heap", defaultValue = "256m", description = "-Xmx of the server's JVM. Default: ${DEFAULT-VALUE}.")
    String heap;

    @CommandLine.Option(names = "--engine-memory", defaultValue = "256MB",
        description = "The server engine's memory limit (NEURALAKE_MEMORY_LIMIT). Default: ${DEFAULT-VALUE}.")
    String engineMemory;

    @CommandLine.Option(names = "--data-dir", defaultValue = "bench-data", description = "Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @CommandLine.Option(names = "--results", defaultValue = "bench-results", description = "Default: ${DEFAULT-VALUE}.")
    Path results;

    @Override
    public Integer call() throws Exception {
      Path data = TpchDataset.ensure(dataDir, scaleFactor).toAbsolutePath();
      System.out.println(ServerMemoryBench.run(data, dataDir.toAbsolutePath(), heap, engineMemory, results));
      return 0;
    }
  }

  @Command(name = "jdbc", mixinStandardHelpOptions = true,
      description = "A PostgreSQL table (a server started for the run, loaded with COPY FROM) read into the engine by a"
          + " relational table's COPY and cursor readers, with and without a pushed filter, against plain JDBC"
          + " iteration into a record per row and psql \\copy to a file: rows/s, ratios and peak heap, interleaved.")
  static final class Jdbc implements Callable<Integer> {
    @CommandLine.Option(names = "--rows", defaultValue = "10000000", description = "Rows in the table. Default: ${DEFAULT-VALUE}.")
    long rows;

    @CommandLine.Option(names = "--runs", defaultValue = "3", description = "Measured rounds. Default: ${DEFAULT-VALUE}.")
    int runs;

    @CommandLine.Option(names = "--results", defaultValue = "bench-results", description = "Default: ${DEFAULT-VALUE}.")
    Path results;

    @Override
    public Integer call() throws Exception {
      if (rows < 100 || runs < 1) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--rows must be at least 100 and --runs at"
            + " least 1 (got " + rows + ", " + runs + ")");
      }
      System.out.println(JdbcBench.run(rows, runs, results));
      return 0;
    }
  }

  @Command(name = "lake", mixinStandardHelpOptions = true,
      description = "Reads of one partition among thousands: a hive-partitioned Parquet lake and a partitioned Delta table"
          + " (implants × days) on local disk and S3Proxy; one partition, one day, a range of days; Neuralake vs bare"
          + " DuckDB (read_parquet with hive_partitioning) vs Spark (partition discovery): median time and, on S3, the"
          + " LIST and GET requests.")
  static final class Lake implements Callable<Integer> {
    @CommandLine.Option(names = "--partitions", defaultValue = "100,1000,10000", split = ",",
        description = "Lake sizes in partitions. Default: ${DEFAULT-VALUE}.")
    List<Integer> partitions;

    @CommandLine.Option(names = "--store", defaultValue = "local,s3", description = "local, s3 or local,s3. Default: ${DEFAULT-VALUE}.")
    String store;

    @CommandLine.Option(names = "--runs", defaultValue = "5", description = "Measured runs. Default: ${DEFAULT-VALUE}.")
    int runs;

    @CommandLine.Option(names = "--threads", defaultValue = "0", description = "DuckDB threads and Spark local[N]; 0: one per core.")
    int threads;

    @CommandLine.Option(names = "--data-dir", defaultValue = "bench-data", description = "Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @CommandLine.Option(names = "--results", defaultValue = "bench-results", description = "Default: ${DEFAULT-VALUE}.")
    Path results;

    @Override
    public Integer call() throws Exception {
      List<String> stores;
      try {
        stores = LakeBench.stores(store);
        partitions.forEach(LakeBench.Layout::of);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
      }
      if (runs < 1) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be at least 1, got " + runs);
      }
      String md = LakeBench.run(dataDir, partitions, stores, runs, threads);
      Files.createDirectories(results);
      Path out = results.resolve("lake-" + LocalDateTime.now().toString().replace(':', '-') + ".md");
      Files.writeString(out, md);
      System.out.println(md + "\n(written to " + out + ")");
      return 0;
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
