package io.neuralake.testing;

import io.neuralake.storage.S3ObjectStore;
import io.neuralake.storage.S3Options;
import io.neuralake.storage.FileCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * One S3Proxy child process on loopback for the whole test JVM (started on first use, stopped at
 * exit). Each test gets its own bucket, so tests never see each other's objects.
 */
public final class LocalS3 {
  public static final String ACCESS_KEY = "test-" + UUID.randomUUID().toString().substring(0, 8);
  public static final String SECRET_KEY = UUID.randomUUID().toString();
  private static S3ProxyServer server;

  private LocalS3() {}

  public static synchronized S3ProxyServer server() {
    if (server == null) {
      try {
        Path data = Files.createTempDirectory("s3proxy-data");
        server = S3ProxyServer.start(S3ProxyServer.findJar(), data, 0, ACCESS_KEY, SECRET_KEY);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  public static S3Options options() {
    return server().clientOptions();
  }

  /** A new, empty bucket. */
  public static String newBucket() {
    String bucket = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      server().createBucket(bucket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bucket;
  }

  /** A store on the server with its own cache folder. */
  public static S3ObjectStore store(Path cacheDir) {
    return new S3ObjectStore(options(), new FileCache(cacheDir, 1L << 30, Duration.ZERO));
  }
}
