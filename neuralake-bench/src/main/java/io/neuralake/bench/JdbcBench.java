package io.neuralake.bench;

import io.neuralake.catalog.Catalog;
import io.neuralake.frame.Frame;
import io.neuralake.jdbc.JdbcCredentials;
import io.neuralake.jdbc.JdbcTable;
import io.neuralake.query.Query;
import io.neuralake.query.QueryLimits;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.testing.PostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@code bench jdbc}: a PostgreSQL table of N rows read into the engine by a relational table's two
 * readers (binary COPY and the fetch-size cursor), with and without a pushed filter, against plain
 * JDBC iteration into a record per row, the driver's own binary COPY with the bytes discarded, and
 * {@code psql \copy} to a file (the practical limit). One PostgreSQL started for the run (Debian's
 * binaries, as the tests start it); paths interleaved round after round, so that a busy moment of
 * the shared machine falls on every path alike.
 */
final class JdbcBench {
  /** A quarter of the rows match (sensor < 25 of 0..99): the pushed filter's case. */
  private static final String FILTER = "sensor < 25";
  private static final String COLUMNS = "id, sensor, reading, label, day, at, amount, ok";

  /** Ranges of the parallel read: one per core, at least two. */
  private static final int RANGES = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** Enough for the backends of a path's closed connections to exit and be reaped (they take milliseconds). */
  private static final long BACKEND_EXIT_MS = 500;

  private JdbcBench() {}

  /** One row of the table, as a Java program iterating JDBC would hold it. */
  record Reading(long id, int sensor, double reading, String label, LocalDate day, OffsetDateTime at,
      BigDecimal amount, boolean ok) {}

  /** One way to read: its name, the rows it must return, and the read (which returns the rows it saw). */
  private record ReadPath(String name, long expectedRows, Read read) {}

  interface Read {
    long run() throws Exception;
  }

  /**
   * One path's medians: wall-clock seconds, and CPU seconds of PostgreSQL (the server process and its
   * backends) and of this JVM (engine and decoders included; not psql's, a process of its own).
   */
  record Figures(String name, long rows, double medianSeconds, double rowsPerSecond, double peakHeapMb,
      double serverCpuSeconds, double jvmCpuSeconds) {}

  static String run(long rows, int runs, Path results) throws Exception {
    try (PostgresServer server = PostgresServer.start()) {
      String url = server.jdbcUrl("postgres");
      load(url, server, rows);
      long tableBytes;
      String version;
      try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT pg_total_relation_size('readings'), current_setting('server_version')")) {
        rs.next();
        tableBytes = rs.getLong(1);
        version = rs.getString(2);
      }
      Map<String, Object> machine = Report.machine();
      String setting = machine.get("cores") + " cores, " + machine.get("memory") + ", " + machine.get("jdk")
          + ", PostgreSQL " + version + " on loopback";
      JdbcCredentials credentials = JdbcCredentials.of(server.user(), server.password());
      try (LakeRuntime runtime = LakeRuntime.builder().build()) {
        Catalog catalog = Catalog.builder("bench").runtime(runtime)
            .database("copy", JdbcTable.builder("readings", url).query("readings").credentials(credentials).build())
            .database("cursor", JdbcTable.builder("readings", url).query("readings").copy(false)
                .credentials(credentials).build())
            // as many ranges as this machine has cores, each a COPY on its own connection
            .database("ranged", JdbcTable.builder("readings", url).query("readings").credentials(credentials)
                .partitionColumn("id", RANGES).build())
            .build();
        long filtered = countIn(url, server, FILTER);
        Path copyFile = Files.createTempFile("bench-jdbc", ".copy");
        List<ReadPath> paths = List.of(
            new ReadPath("frame, COPY reader", rows, () -> drain(catalog.db("copy").table("readings").prepare())),
            new ReadPath("frame, cursor reader", rows, () -> drain(catalog.db("cursor").table("readings").prepare())),
            new ReadPath("frame, COPY reader, " + RANGES + " parallel ranges", rows,
                () -> drain(catalog.db("ranged").table("readings").prepare())),
            new ReadPath("SQL, pushed filter, COPY reader", filtered,
                () -> drain(catalog.prepare("SELECT * FROM copy.readings WHERE " + FILTER))),
            new ReadPath("SQL, pushed filter, cursor reader", filtered,
                () -> drain(catalog.prepare("SELECT * FROM cursor.readings WHERE " + FILTER))),
            new ReadPath("plain JDBC, a record per row", rows, () -> plainJdbc(url, server)),
            new ReadPath("pgJDBC CopyManager, binary, bytes discarded", rows, () -> driverCopy(url, server)),
            new ReadPath("psql \\copy to a file", rows, () -> psqlCopy(server, copyFile)));
        try {
          Map<ReadPath, List<Long>> nanos = new LinkedHashMap<>();
          Map<ReadPath, List<Long>> serverCpu = new LinkedHashMap<>();
          Map<ReadPath, List<Long>> jvmCpu = new LinkedHashMap<>();
          Map<ReadPath, Long> peakHeap = new LinkedHashMap<>();
          paths.forEach(p -> {
            nanos.put(p, new ArrayList<>());
            serverCpu.put(p, new ArrayList<>());
            jvmCpu.put(p, new ArrayList<>());
          });
          for (int round = 0; round <= runs; round++) { // round 0 warms up (and checks the row counts)
            for (ReadPath p : paths) {
              System.err.println("round " + round + " of " + runs + ": " + p.name() + " ...");
              System.gc();
              resetHeapPeaks();
              long serverStart = ProcessCpu.treeNanos(server.pid());
              long jvmStart = ProcessCpu.thisProcessNanos();
              long start = System.nanoTime();
              long got = p.read().run();
              long took = System.nanoTime() - start;
              long jvmTook = ProcessCpu.thisProcessNanos() - jvmStart;
              // a closed connection's backend exits a moment later, and its CPU time reaches the server's
              // once reaped: wait for that, or it would count towards the next path
              Thread.sleep(BACKEND_EXIT_MS);
              long serverTook = ProcessCpu.treeNanos(server.pid()) - serverStart;
              if (got != p.expectedRows()) {
                throw new IllegalStateException(p.name() + " read " + got + " rows, " + p.expectedRows() + " expected");
              }
              if (round > 0) {
                nanos.get(p).add(took);
                serverCpu.get(p).add(serverTook);
                jvmCpu.get(p).add(jvmTook);
              }
              peakHeap.merge(p, heapPeak(), Math::max);
            }
          }
          List<Figures> figures = new ArrayList<>();
          for (ReadPath p : paths) {
            double seconds = Report.median(nanos.get(p)) / 1e9;
            figures.add(new Figures(p.name(), p.expectedRows(), seconds, p.expectedRows() / seconds,
                peakHeap.get(p) / 1e6, Report.median(serverCpu.get(p)) / 1e9, Report.median(jvmCpu.get(p)) / 1e9));
          }
          String md = markdown(rows, runs, tableBytes, setting, figures,
              runtime.engine().allocator().getPeakMemoryAllocation());
          Files.createDirectories(results);
          Path out = results.resolve("jdbc-" + LocalDateTime.now().toString().replace(':', '-') + ".md");
          Files.writeString(out, md);
          return md + "\n(written to " + out + ")";
        } finally {
          Files.deleteIfExists(copyFile);
        }
      }
    }
  }

  /**
   * The table, written with COPY FROM STDIN (text format) from generated rows: ids 1..N, 100 sensors,
   * a float, a short label, a date, a timestamptz, a numeric(12,2) and a boolean. Then frozen and
   * analysed, so that no read pays for setting hint bits.
   */
  static void load(String url, PostgresServer server, long rows) throws Exception {
    try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE readings (id int8 PRIMARY KEY, sensor int4 NOT NULL, reading float8, label text,"
          + " day date, at timestamptz, amount numeric(12,2), ok bool)");
      CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY readings (" + COLUMNS + ") FROM STDIN");
      StringBuilder chunk = new StringBuilder(1 << 20);
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Loading PostgreSQL (COPY FROM)")
          .setInitialMax(rows).setUnit(" rows", 1).setStyle(ProgressBarStyle.ASCII).setMaxRenderedLength(100)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
        long done = 0;
        for (long id = 1; id <= rows; id++) {
          row(chunk, id);
          if (chunk.length() > (1 << 20) - 200 || id == rows) {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            chunk.setLength(0);
            bar.stepBy(id - done);
            done = id;
          }
        }
        copy.endCopy();
      }
      System.err.println("VACUUM (FREEZE, ANALYZE) ...");
      st.execute("VACUUM (FREEZE, ANALYZE) readings");
    }
  }

  private static void row(StringBuilder out, long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    int sensor = (int) (id % 100);
    out.append(id).append('\t').append(sensor).append('\t')
        .append((h >>> 11) * 0x1.0p-53 * 1000.0).append('\t')
        .append("sensor-").append(sensor).append('-').append(id % 7).append('\t')
        .append(LocalDate.ofEpochDay(18_000 + id % 3_000)).append('\t')
        .append(java.time.Instant.ofEpochSecond(1_700_000_000L + id)).append('\t')
        .append(BigDecimal.valueOf(Math.floorMod(h, 10_000_000L), 2).toPlainString()).append('\t')
        .append((h & 1) == 0 ? 't' : 'f').append('\n');
  }

  private static long countIn(String url, PostgresServer server, String where) throws Exception {
    try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM readings WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Reads a query's result batch by batch, as the engine hands it out; returns its rows. */
  private static long drain(Query query) throws IOException {
    try (query; ArrowReader r = query.open(QueryLimits.none())) {
      long rows = 0;
      while (r.loadNextBatch()) {
        rows += r.getVectorSchemaRoot().getRowCount();
      }
      return rows;
    }
  }

  /** What a Java program without Neuralake writes: a cursor of 10,000-row fetches, a record per row. */
  private static long plainJdbc(String url, PostgresServer server) throws Exception {
    long rows = 0;
    long check = 0;
    try (Connection c = DriverManager.getConnection(url, server.user(), server.password())) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.setFetchSize(10_000);
        try (ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM readings")) {
          while (rs.next()) {
            Reading r = new Reading(rs.getLong(1), rs.getInt(2), rs.getDouble(3), rs.getString(4),
                rs.getObject(5, LocalDate.class), rs.getObject(6, OffsetDateTime.class), rs.getBigDecimal(7),
                rs.getBoolean(8));
            check += r.sensor();
            rows++;
          }
        }
      }
      c.rollback();
    }
    return check >= 0 ? rows : -1;
  }

  /** The driver's binary COPY of the table with the bytes thrown away: the JVM's ceiling, before decoding. */
  private static long driverCopy(String url, PostgresServer server) throws Exception {
    try (Connection c = DriverManager.getConnection(url, server.user(), server.password())) {
      return c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT " + COLUMNS
          + " FROM readings) TO STDOUT (FORMAT binary)", OutputStream.nullOutputStream());
    }
  }

  /** psql's client-side copy of the table to a file, as a process; returns the rows it reports. */
  private static long psqlCopy(PostgresServer server, Path file) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
        "-U", server.user(), "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c",
        "\\copy (SELECT " + COLUMNS + " FROM readings) TO '" + file + "'").redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", server.password());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("psql is not installed (Debian package postgresql-client): " + e.getMessage(), e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("psql \\copy failed: " + output);
    }
    long lines = 0;
    try (var in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines++;
          }
        }
      }
    }
    Files.write(file, new byte[0]);
    return lines;
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The heap pools' peaks summed (an upper bound of the heap's peak, garbage not yet collected included). */
  private static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static String markdown(long rows, int runs, long tableBytes, String setting, List<Figures> figures, long arrowPeak) {
    Figures copy = find(figures, "frame, COPY reader");
    Figures psql = find(figures, "psql \\copy to a file");
    Figures plain = find(figures, "plain JDBC, a record per row");
    StringBuilder md = new StringBuilder();
    md.append("# PostgreSQL table read: ").append(String.format(Locale.ROOT, "%,d", rows)).append(" rows\n\n")
        .append("Table `readings` (int8, int4, float8, text, date, timestamptz, numeric(12,2), bool), ")
        .append(String.format(Locale.ROOT, "%.0f", tableBytes / 1e6)).append(" MB in PostgreSQL; median of ")
        .append(runs).append(" interleaved runs after a warm-up round; ").append(setting).append(".\n\n")
        .append("| path | rows | median s | rows/s | vs psql \\copy | vs plain JDBC | peak heap MB"
            + " | PostgreSQL CPU s | JVM CPU s |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Figures f : figures) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %.2f | %.2f | %.0f | %.2f | %s |%n", f.name(),
          f.rows(), f.medianSeconds(), f.rowsPerSecond(), f.rowsPerSecond() / psql.rowsPerSecond(),
          f.rowsPerSecond() / plain.rowsPerSecond(), f.peakHeapMb(), f.serverCpuSeconds(),
          f == psql ? "—" : String.format(Locale.ROOT, "%.2f", f.jvmCpuSeconds())));
    }
    md.append(String.format(Locale.ROOT, "%nGoals: frame read by COPY at >= 0.80 of psql \\copy: %.2f (%s); >= 3x plain"
            + " JDBC: %.2fx (%s).%n", copy.rowsPerSecond() / psql.rowsPerSecond(),
        copy.rowsPerSecond() / psql.rowsPerSecond() >= 0.8 ? "met" : "not met",
        copy.rowsPerSecond() / plain.rowsPerSecond(), copy.rowsPerSecond() / plain.rowsPerSecond() >= 3 ? "met"
            : "not met"));
    // one COPY is one backend process, which can use one core: its CPU time is the least the read can take
    double ceiling = copy.rows() / copy.serverCpuSeconds();
    md.append(String.format(Locale.ROOT, "PostgreSQL's own CPU time for the COPY read: %.2f s for %.2f s of wall-clock"
            + " time. One COPY is one backend process on one core, so no reader of one connection can be faster"
            + " here than %,.0f rows/s, %.2fx plain JDBC.%n", copy.serverCpuSeconds(), copy.medianSeconds(), ceiling,
        ceiling / plain.rowsPerSecond()));
    md.append(String.format(Locale.ROOT, "Peak Arrow memory of the engine over the whole run: %.1f MB. Peak heap: the"
        + " heap pools' peak use during the path (garbage not yet collected included), after a GC before it.%n",
        arrowPeak / 1e6));
    return md.toString();
  }

  private static Figures find(List<Figures> figures, String name) {
    return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }
}
