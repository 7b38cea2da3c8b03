package io.neuralake.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A worker process holding one system. It reads commands on stdin and answers on stdout (the
 * real stdout: everything libraries print goes to stderr, so it cannot corrupt the protocol).
 *
 * <pre>
 *   SUPPORTS q01   -> YES | NO
 *   PREPARE        -> OK            (before a measured run: e.g. empty a cold cache; not timed)
 *   RUN q01        -> OK nanos rows base64(answer json) | ERR message
 *   EXIT
 * </pre>
 */
public final class Worker {
  private Worker() {}

  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    String systemName = args[0];
    BenchConfig config = BenchConfig.fromJson(args[1]);
    BenchSystem system;
    try {
      system = BenchSystem.create(systemName, config);
    } catch (Throwable t) {
      protocol.println("ERR " + oneLine(t));
      return;
    }
    protocol.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    while ((line = in.readLine()) != null) {
      String[] parts = line.split(" ", 2);
      switch (parts[0]) {
        case "SUPPORTS" -> protocol.println(system.supports(parts[1]) ? "YES" : "NO");
        case "PREPARE" -> {
          try {
            system.beforeRun();
            protocol.println("OK");
          } catch (Throwable t) {
            protocol.println("ERR " + oneLine(t));
          }
        }
        case "RUN" -> {
          try {
            long start = System.nanoTime();
            List<List<String>> rows = system.run(parts[1]);
            long nanos = System.nanoTime() - start;
            String answer = Base64.getEncoder().encodeToString(json.writeValueAsBytes(rows));
            protocol.println("OK " + nanos + " " + rows.size() + " " + answer);
          } catch (Throwable t) {
            t.printStackTrace(System.err);
            protocol.println("ERR " + oneLine(t));
          }
        }
        case "EXIT" -> {
          system.close();
          protocol.println("BYE");
          protocol.flush();
          System.exit(0);
        }
        default -> protocol.println("ERR unknown command " + parts[0]);
      }
    }
  }

  private static String oneLine(Throwable t) {
    String m = t.getClass().getSimpleName() + ": " + t.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }
}
