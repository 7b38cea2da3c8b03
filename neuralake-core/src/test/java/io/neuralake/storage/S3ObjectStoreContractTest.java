package io.neuralake.storage;

import io.neuralake.testing.LocalS3;
import io.neuralake.testing.ObjectStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The object-store contract against a real S3 API (S3Proxy on loopback). */
class S3ObjectStoreContractTest extends ObjectStoreContract {
  static Path cache;
  static S3ObjectStore store;
  static String bucket;

  @BeforeAll
  static void setUp() throws Exception {
    cache = Files.createTempDirectory("s3-contract-cache");
    store = LocalS3.store(cache);
    bucket = LocalS3.newBucket();
  }

  @AfterAll
  static void tearDown() {
    store.close();
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected int listingPageSize() {
    return 1000;
  }

  @Override
  protected Location newFolder() {
    return Location.parse("s3://" + bucket + "/" + UUID.randomUUID() + "/");
  }
}
