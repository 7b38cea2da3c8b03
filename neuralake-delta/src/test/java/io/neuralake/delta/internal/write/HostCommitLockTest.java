package io.neuralake.delta.internal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A lock holder's state as waiters read it: stopped processes are not waited for. */
class HostCommitLockTest {
  @Test
  void aStoppedProcessIsSeenStoppedAndAResumedOneRunning() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "process states come from /proc (Linux)");
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      assertThat(HostCommitLock.isStopped(sleeper.pid())).as("sleeping").isFalse();
      signal(sleeper.pid(), "STOP");
      assertThat(eventually(sleeper.pid(), true)).as("after SIGSTOP").isTrue();
      signal(sleeper.pid(), "CONT");
      assertThat(eventually(sleeper.pid(), false)).as("after SIGCONT").isTrue();
    } finally {
      sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(HostCommitLock.isStopped(ProcessHandle.current().pid())).as("this process").isFalse();
    assertThat(HostCommitLock.isStopped(sleeper.pid())).as("a process that is gone").isFalse();
  }

  /** Signals are delivered asynchronously: the state is read until it shows (bounded). */
  private static boolean eventually(long pid, boolean stopped) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (HostCommitLock.isStopped(pid) == stopped) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  private static void signal(long pid, String signal) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
  }
}
