package io.neuralake.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.table.ParquetTable;
import io.neuralake.testing.FaultyProxy;
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

  /** The attempts the SDK made for the request behind a storage error (null: it failed before the first). */
  private static Integer attempts(Throwable e) {
    return ((software.amazon.awssdk.core.exception.SdkException) e.getCause()).numAttempts();
  }

  /** Nothing listens on the port: retrying cannot help, so one attempt, however many are allowed. */
  @Test
  void connectionRefusedFailsFast() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    S3Options nowhere = LocalS3.options().toBuilder().endpoint("http://127.0.0.1:" + closedPort).maxAttempts(10).build();
    try (S3ObjectStore store = new S3ObjectStore(nowhere, cache())) {
      assertThatThrownBy(() -> store.list(Location.parse("s3://b/t/")))
          .hasMessageContaining("nothing accepts connections at 127.0.0.1:" + closedPort)
          .hasMessageContaining("AWS_ENDPOINT_URL").hasMessageNotContaining("Attempt Count").hasMessageNotContaining("attempts")
          .satisfies(e -> assertThat(attempts(e)).isEqualTo(1));
    }
  }

  @Test
  void unknownHostFailsFast() {
    S3Options nowhere = LocalS3.options().toBuilder().endpoint("http://neuralake-test.invalid:9000").maxAttempts(10).build();
    try (S3ObjectStore store = new S3ObjectStore(nowhere, cache())) {
      assertThatThrownBy(() -> store.list(Location.parse("s3://b/t/")))
          .hasMessageContaining("the host name 'neuralake-test.invalid' does not resolve")
          .hasMessageContaining("AWS_ENDPOINT_URL").hasMessageNotContaining("Attempt Count")
          .satisfies(e -> assertThat(attempts(e)).isIn(null, 1));
    }
  }

  /** A request the server rejects as malformed (400) is not retried, and the message does not say it was. */
  @Test
  void badRequestFailsFast() throws Exception {
    try (FaultyProxy server = FaultyProxy.answering("400 Bad Request", "InvalidArgument")) {
      S3Options tenAttempts = LocalS3.options().toBuilder().endpoint(server.endpoint()).maxAttempts(10).build();
      try (S3ObjectStore store = new S3ObjectStore(tenAttempts, cache())) {
        assertThatThrownBy(() -> store.list(Location.parse("s3://b/t/")))
            .hasMessageContaining("listing s3://b/t/: S3 error 400 InvalidArgument: injected")
            .hasMessageNotContaining("attempts").hasMessageNotContaining("Attempt Count").hasMessageNotContaining("Request ID");
      }
      assertThat(server.errorsSent).hasValue(1);
    }
  }

  /** 5xx and resets are retried up to the limit, and the message counts the attempts once, truly. */
  @Test
  void serverErrorsAreRetriedAndCountedOnce() throws Exception {
    try (FaultyProxy server = FaultyProxy.answering("500 Internal Server Error", "InternalError")) {
      S3Options failing = LocalS3.options().toBuilder().endpoint(server.endpoint()).maxAttempts(3).build();
      try (S3ObjectStore store = new S3ObjectStore(failing, cache())) {
        assertThatThrownBy(() -> store.list(Location.parse("s3://b/t/")))
            .hasMessageContaining("listing s3://b/t/: S3 error 500 InternalError after 3 attempts: injected")
            .hasMessageNotContaining("Attempt Count").hasMessageNotContaining("Request ID")
            .satisfies(e -> assertThat(attempts(e)).isEqualTo(3));
      }
      assertThat(server.errorsSent).hasValue(3);
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

  /** The engine reads the cached copy; the message names the object in the bucket and the table. */
  @Test
  void aDamagedRemoteFileIsNamedByItsUri() throws Exception {
    String bucket = LocalS3.newBucket();
    Storage storage = Storage.builder().s3(LocalS3.options()).cache(cache()).build();
    storage.storeFor(Location.parse("s3://" + bucket + "/")).put(Location.parse("s3://" + bucket + "/t/part-0.parquet"),
        "not parquet at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Catalog c = Catalog.builder("c").storage(storage)
        .database("db", ParquetTable.builder("t", "s3://" + bucket + "/t").build()).build();
    assertThatThrownBy(() -> c.db("db").table("t").collect())
        .hasMessageContaining("table db.t: the file s3://" + bucket + "/t/part-0.parquet cannot be read")
        .hasMessageNotContaining(tmp.resolve("cache").toString());
  }

  @Test
  void optionsNeverPrintSecrets() {
    S3Options o = S3Options.builder().credentials("AKIDEXAMPLE", "super-secret-value").build();
    org.assertj.core.api.Assertions.assertThat(o.toString()).doesNotContain("super-secret-value").doesNotContain("AKIDEXAMPLE");
  }
}
