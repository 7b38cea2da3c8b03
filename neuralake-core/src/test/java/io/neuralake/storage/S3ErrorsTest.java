package io.neuralake.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.LocalS3;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage errors name the URI and what to set. */
class S3ErrorsTest {
  @TempDir Path tmp;

  private FileCache cache() {
    return new FileCache(tmp.resolve("cache"), 1 << 20, Duration.ZERO);
  }

  @Test
  void wrongCredentials() {
    S3Options wrong = LocalS3.options().toBuilder().credentials(LocalS3.ACCESS_KEY, "not-the-secret").maxAttempts(1).build();
    try (S3ObjectStore store = new S3ObjectStore(wrong, cache())) {
      String bucket = LocalS3.newBucket();
      assertThatThrownBy(() -> store.list(Location.parse("s3://" + bucket + "/t/")))
          .hasMessageContaining("s3://" + bucket + "/t/").hasMessageContaining("access denied (403")
          .hasMessageContaining("AWS_SECRET_ACCESS_KEY");
    }
  }

  @Test
  void missingBucketAndKey() throws Exception {
    try (S3ObjectStore store = LocalS3.store(tmp.resolve("c"))) {
      assertThatThrownBy(() -> store.list(Location.parse("s3://no-such-bucket-x/t/")))
          .hasMessageContaining("the bucket 'no-such-bucket-x' does not exist at " + LocalS3.server().endpoint());
      String bucket = LocalS3.newBucket();
      assertThatThrownBy(() -> store.get(Location.parse("s3://" + bucket + "/missing.parquet")))
          .hasMessageContaining("s3://" + bucket + "/missing.parquet: no such object (404)");
    }
  }

  @Test
  void unreachableEndpoint() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    S3Options nowhere = LocalS3.options().toBuilder().endpoint("http://127.0.0.1:" + closedPort).maxAttempts(2).build();
    try (S3ObjectStore store = new S3ObjectStore(nowhere, cache())) {
      assertThatThrownBy(() -> store.list(Location.parse("s3://b/t/")))
          .hasMessageContaining("cannot reach the S3 endpoint http://127.0.0.1:" + closedPort)
          .hasMessageContaining("AWS_ENDPOINT_URL");
    }
  }

  @Test
  void plainHttpNeedsAwsAllowHttp() {
    S3Options http = LocalS3.options().toBuilder().allowHttp(false).build();
    assertThatThrownBy(() -> new S3ObjectStore(http, cache())).hasMessageContaining("is plain HTTP; set AWS_ALLOW_HTTP=true");
  }

  @Test
  void missingCredentials() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty-aws-config"), "");
    System.setProperty("aws.sharedCredentialsFile", empty.toString());
    System.setProperty("aws.configFile", empty.toString());
    try {
      S3Options none = S3Options.builder().endpoint(LocalS3.server().endpoint().toString()).allowHttp(true)
          .profile("neuralake-no-such-profile").maxAttempts(1).build();
      try (S3ObjectStore store = new S3ObjectStore(none, cache())) {
        assertThatThrownBy(() -> store.list(Location.parse("s3://b/t/")))
            .hasMessageContaining("no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
      }
    } finally {
      System.clearProperty("aws.sharedCredentialsFile");
      System.clearProperty("aws.configFile");
    }
  }

  @Test
  void tableReadsCarryTheStorageMessage() {
    String bucket = LocalS3.newBucket();
    Catalog c = Catalog.builder("c").storage(Storage.builder().s3(LocalS3.options()).cache(cache()).build())
        .database("db", ParquetTable.builder("t", "s3://" + bucket + "/nothing/here").build()).build();
    assertThatThrownBy(() -> c.db("db").table("t").collect()).hasMessageContaining("db.t")
        .hasMessageContaining("no Parquet files at s3://" + bucket + "/nothing/here");
  }

  @Test
  void optionsNeverPrintSecrets() {
    S3Options o = S3Options.builder().credentials("AKIDEXAMPLE", "super-secret-value").build();
    org.assertj.core.api.Assertions.assertThat(o.toString()).doesNotContain("super-secret-value").doesNotContain("AKIDEXAMPLE");
  }
}
