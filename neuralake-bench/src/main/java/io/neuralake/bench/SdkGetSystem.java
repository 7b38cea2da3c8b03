package io.neuralake.bench;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The network's bound: a plain parallel ranged GET of a table's bytes with the AWS SDK, nothing
 * else. Neuralake's cold read throughput is measured against it.
 */
final class SdkGetSystem implements BenchSystem {
  private static final int RANGE = 8 << 20;
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final ExecutorService pool = Executors.newFixedThreadPool(32);

  SdkGetSystem(BenchConfig config) {
    URI location = URI.create(config.s3Location());
    this.bucket = location.getHost();
    this.prefix = location.getPath().replaceFirst("^/", "");
    this.s3 = S3Client.builder().region(Region.US_EAST_1)
        .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL"))).forcePathStyle(true)
        .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)).build();
  }

  @Override
  public boolean supports(String query) {
    return query.startsWith("scan-");
  }

  /** {@code scan-<table>}: read all of the table's objects; the answer is the byte count. */
  @Override
  public List<List<String>> run(String query) throws Exception {
    String table = query.substring("scan-".length());
    List<Future<Long>> parts = new ArrayList<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "/" + table + "/")).contents()) {
      for (long off = 0; off < o.size(); off += RANGE) {
        long start = off;
        long end = Math.min(o.size(), off + RANGE) - 1;
        parts.add(pool.submit(() -> {
          try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(o.key()).range("bytes=" + start + "-" + end))) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
          }
        }));
      }
    }
    long bytes = 0;
    for (Future<Long> f : parts) {
      bytes += f.get();
    }
    return List.of(List.of(Long.toString(bytes)));
  }

  @Override
  public void close() {
    pool.shutdownNow();
    s3.close();
  }
}
