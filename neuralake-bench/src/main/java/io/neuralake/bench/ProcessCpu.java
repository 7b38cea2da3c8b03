package io.neuralake.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of processes: this JVM's (all its threads, the engine's native ones included), and
 * others' from Linux's {@code /proc} (a server the bench started, with its children).
 */
final class ProcessCpu {
  private static final long CLOCK_TICKS = 100; // USER_HZ: /proc's CPU times are in these on Linux
  private static final long NANOS_PER_TICK = 1_000_000_000L / CLOCK_TICKS;

  private ProcessCpu() {}

  /** This JVM's CPU time, all threads, in nanoseconds. */
  static long thisProcessNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The process's own CPU time (user and system), in nanoseconds. */
  static long nanos(long pid) throws IOException {
    String[] f = fields(pid);
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK; // utime, stime
  }

  /**
   * The CPU time of a process and all it started, in nanoseconds: its own, its children's that have
   * ended (which Linux adds to it when it reaps them), and its live descendants' (e.g. PostgreSQL's
   * backends, one per connection).
   */
  static long treeNanos(long pid) throws IOException {
    String[] f = fields(pid);
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    long nanos = ticks * NANOS_PER_TICK;
    for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(java.util.List.of())) {
      try {
        nanos += treeNanos(child.pid());
      } catch (IOException e) {
        // it ended meanwhile: its time is in the parent's once reaped
      }
    }
    return nanos;
  }

  /** The fields of {@code /proc/PID/stat} after the command's name (field 3 on is index 0 on). */
  private static String[] fields(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }
}
