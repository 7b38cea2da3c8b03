package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.spi.Settings;
import io.neuralake.testing.S3ProxyServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Local S3 for development, without Docker: the replacement of the blueprint's setup_minio.sh. */
@Command(name = "s3", mixinStandardHelpOptions = true, description = "A local S3 endpoint for development.",
    subcommands = S3Command.Serve.class)
final class S3Command implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Serve a folder as S3 on 127.0.0.1 (S3Proxy, filesystem backend: each bucket is a sub-folder)."
          + " Clients must use the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set in this environment.")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin Main.Common common;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--dir", required = true, description = "The folder to serve (created if missing).")
    Path dir;

    @CommandLine.Option(names = "--port", defaultValue = "9000", description = "Port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
    int port;

    @CommandLine.Option(names = "--bucket", description = "Buckets to create (repeatable), e.g. neuralake-bucket.")
    List<String> buckets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      String key = Settings.get("AWS_ACCESS_KEY_ID").orElseThrow(() -> new NeuralakeException(ErrorCode.INVALID_SETTING,
          "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: the server accepts those credentials (choose any for local use)"));
      String secret = Settings.get("AWS_SECRET_ACCESS_KEY").orElseThrow(() -> new NeuralakeException(ErrorCode.INVALID_SETTING,
          "set AWS_SECRET_ACCESS_KEY as well as AWS_ACCESS_KEY_ID"));
      S3ProxyServer server;
      try {
        server = S3ProxyServer.start(S3ProxyServer.findJar(), dir, port, key, secret);
      } catch (S3ProxyServer.PortInUseException e) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, e.getMessage() + " with --port", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      for (String b : buckets) {
        server.createBucket(b);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("S3 endpoint " + server.endpoint() + " serving " + server.dataDir()
          + (buckets.isEmpty() ? "" : " (buckets: " + String.join(", ", buckets) + ")"));
      out.println("Point clients at it with:");
      out.println("  export AWS_ENDPOINT_URL=" + server.endpoint() + " AWS_ALLOW_HTTP=true AWS_REGION=us-east-1");
      out.println("Press Ctrl-C to stop.");
      out.flush();
      return server.waitFor();
    }
  }
}
