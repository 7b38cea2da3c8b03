package io.neuralake.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of an S3 server that misbehaves at random: it answers some
 * connections with HTTP 500 or 503 (S3's "slow down"), resets others before or while the response
 * flows, resets some later requests on kept-alive connections, and passes the rest through. Seeded, so a failing run can be replayed.
 */
public final class FaultyProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final double faultRate;
  private final SplittableRandom random;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-proxy");
    t.setDaemon(true);
    return t;
  });
  public final AtomicLong connections = new AtomicLong();
  public final AtomicLong errorsSent = new AtomicLong();
  public final AtomicLong resets = new AtomicLong();

  /** When set, every request is answered with this status and S3 error code, and nothing is passed through. */
  private volatile String[] fixedAnswer;

  /** A server that answers every request with one error, e.g. {@code ("400 Bad Request", "InvalidArgument")}. */
  public static FaultyProxy answering(String status, String code) throws IOException {
    FaultyProxy p = new FaultyProxy(1, 0, 0);
    p.fixedAnswer = new String[] {status, code};
    return p;
  }

  public FaultyProxy(int targetPort, double faultRate, long seed) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.faultRate = faultRate;
    this.random = new SplittableRandom(seed);
    threads.submit(this::acceptLoop);
  }

  public int port() {
    return listener.getLocalPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        connections.incrementAndGet();
        double roll;
        long cut;
        synchronized (random) {
          roll = random.nextDouble();
          cut = random.nextLong(1, 64 * 1024);
        }
        threads.submit(() -> handle(client, roll, cut));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client, double roll, long cutAfter) {
    try (client) {
      String[] fixed = fixedAnswer;
      if (fixed != null || roll < faultRate / 3) {
        // an error status: read the request head, answer 500 or 503, close
        readHead(client.getInputStream());
        String status = fixed != null ? fixed[0] : roll < faultRate / 6 ? "503 Slow Down" : "500 Internal Server Error";
        String code = fixed != null ? fixed[1] : status.startsWith("503") ? "SlowDown" : "InternalError";
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>injected</Message></Error>";
        String response = "HTTP/1.1 " + status + "\r\nContent-Type: application/xml\r\nContent-Length: " + body.length()
            + "\r\nConnection: close\r\n\r\n" + body;
        errorsSent.incrementAndGet(); // before the answer, so a client that has it sees the count
        client.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (roll < 2 * faultRate / 3) {
        // a reset before any answer
        resets.incrementAndGet();
        client.setSoLinger(true, 0);
        return;
      }
      boolean cutMidway = roll < faultRate;
      AtomicBoolean answered = new AtomicBoolean();
      try (Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
        threads.submit(() -> pipe(client, server, Long.MAX_VALUE, answered, true));
        pipe(server, client, cutMidway ? cutAfter : Long.MAX_VALUE, answered, false);
      }
    } catch (IOException e) {
      // the other side went away: part of the game
    }
  }

  /**
   * Copies one direction of a connection. Clients keep connections alive across many requests, so
   * faults are also rolled per request on the way in: a client sending again after an answer has
   * flowed back is starting a new request, which is reset at the fault rate.
   */
  private void pipe(Socket from, Socket to, long limit, AtomicBoolean answered, boolean requests) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[8192];
      long sent = 0;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!requests) {
          answered.set(true);
        } else if (answered.getAndSet(false) && nextRoll() < faultRate / 3) {
          resets.incrementAndGet();
          from.setSoLinger(true, 0);
          from.close();
          to.close();
          return;
        }
        if (sent + n > limit) {
          out.write(buffer, 0, (int) (limit - sent));
          out.flush();
          resets.incrementAndGet();
          to.setSoLinger(true, 0);
          to.close();
          from.close();
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
        sent += n;
      }
      to.shutdownOutput();
    } catch (IOException e) {
      try {
        to.close();
        from.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private double nextRoll() {
    synchronized (random) {
      return random.nextDouble();
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while ((b = in.read()) >= 0) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    threads.shutdownNow();
  }
}
