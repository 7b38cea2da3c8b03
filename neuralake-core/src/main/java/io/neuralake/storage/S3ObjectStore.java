package io.neuralake.storage;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.Pools;
import io.neuralake.runtime.LakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in S3 or an S3-compatible server, through the AWS SDK v2. Reads for the engine go
 * through the {@link FileCache}; {@link #putIfAbsent} is a conditional PUT
 * ({@code If-None-Match: *}), atomic on the server.
 */
public final class S3ObjectStore implements ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
  /** Files up to this size are uploaded in one PUT; larger ones in parts of this size. */
  static final long PART_BYTES = 16L << 20;
  /** Objects fetched or parts uploaded at once per store. */
  private static final int FILE_THREADS = 8;

  private final S3Options options;
  private final S3Client client;
  private final FileCache cache;
  private final StoreMetrics metrics = new StoreMetrics();
  /** Whole-file fetches and upload parts: made on first use, stopped by {@link #close()}. */
  private ThreadPoolExecutor files; // guarded by this
  private boolean closed; // guarded by this

  public S3ObjectStore(S3Options options, FileCache cache) {
    this.options = options;
    this.cache = cache;
    if (options.usesHttp() && !options.allowHttp()) {
      throw new NeuralakeException(ErrorCode.INVALID_SETTING,
          "the S3 endpoint " + options.endpoint().get() + " is plain HTTP; set"
          + " AWS_ALLOW_HTTP=true to allow it (fine for a local S3Proxy or MinIO, not for real credentials)");
    }
    var builder = S3Client.builder()
        .region(region(options))
        .credentialsProvider(credentials(options))
        .forcePathStyle(options.pathStyle())
        // plain checksums: S3-compatible servers do not all speak the newer trailing-checksum encoding
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
        // our own conditions instead of the client's defaults (not added: useClientDefaults false),
        // which also retry a refused connection and an unknown host, repeating one failure for seconds
        .overrideConfiguration(o -> o.retryStrategy(StandardRetryStrategy.builder().maxAttempts(options.maxAttempts())
            .retryOnException(S3Errors::isTransient).treatAsThrottling(S3Errors::isThrottling)
            .useClientDefaults(false).build()));
    options.endpoint().ifPresent(builder::endpointOverride);
    this.client = builder.build();
  }

  private static Region region(S3Options options) {
    if (options.region().isPresent()) {
      return Region.of(options.region().get());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (RuntimeException e) {
      return Region.US_EAST_1; // S3-compatible servers ignore it; AWS redirects to the bucket's region
    }
  }

  private static AwsCredentialsProvider credentials(S3Options o) {
    if (o.accessKeyId().isPresent()) {
      return StaticCredentialsProvider.create(o.sessionToken().isPresent()
          ? AwsSessionCredentials.create(o.accessKeyId().get(), o.secretAccessKey().get(), o.sessionToken().get())
          : AwsBasicCredentials.create(o.accessKeyId().get(), o.secretAccessKey().get()));
    }
    if (o.profile().isPresent()) {
      return ProfileCredentialsProvider.create(o.profile().get());
    }
    return DefaultCredentialsProvider.builder().build();
  }

  public S3Options options() {
    return options;
  }

  public FileCache cache() {
    return cache;
  }

  private interface Request<T> {
    T run();
  }

  private <T> T call(String action, Location location, Request<T> request) throws StorageException {
    requireS3(location);
    try {
      return request.run();
    } catch (SdkException e) {
      throw S3Errors.translate(action, location, options, e);
    }
  }

  @Override
  public Optional<ObjectInfo> head(Location location) throws IOException {
    requireS3(location);
    try {
      HeadObjectResponse r = client.headObject(b -> b.bucket(location.bucket()).key(location.key()));
      return Optional.of(new ObjectInfo(location, r.contentLength(), r.lastModified(), r.eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !"NoSuchBucket".equals(e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode())) {
        return Optional.empty();
      }
      throw S3Errors.translate("reading", location, options, e);
    } catch (SdkException e) {
      throw S3Errors.translate("reading", location, options, e);
    }
  }

  @Override
  public List<ObjectInfo> list(Location folder) throws IOException {
    Location f = folder.asFolder();
    List<ObjectInfo> out = new ArrayList<>();
    call("listing", f, () -> {
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(listRequest(f, null))) {
        for (S3Object o : page.contents()) {
          out.add(info(f, o));
        }
      }
      return null;
    });
    metrics.recordList(out.size());
    return out;
  }

  @Override
  public Listing listLevel(Location folder) throws IOException {
    Location f = folder.asFolder();
    List<ObjectInfo> objects = new ArrayList<>();
    List<Location> folders = new ArrayList<>();
    call("listing", f, () -> {
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(listRequest(f, "/"))) {
        for (S3Object o : page.contents()) {
          objects.add(info(f, o));
        }
        for (CommonPrefix p : page.commonPrefixes()) {
          folders.add(new Location(Location.S3, f.bucket(), p.prefix()));
        }
      }
      return null;
    });
    metrics.recordList(objects.size() + folders.size());
    return new Listing(objects, folders);
  }

  /** One LIST from just before the name (S3's start-after is exclusive), not the whole folder. */
  @Override
  public List<ObjectInfo> listFrom(Location file) throws IOException {
    String name = file.name();
    String folderKey = file.key().substring(0, file.key().length() - name.length());
    Location folder = new Location(Location.S3, file.bucket(), folderKey);
    String startAfter = file.key().substring(0, file.key().length() - 1);
    List<ObjectInfo> out = new ArrayList<>();
    call("listing", folder, () -> {
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(b -> b.bucket(file.bucket()).prefix(folderKey)
          .delimiter("/").startAfter(startAfter))) {
        for (S3Object o : page.contents()) {
          ObjectInfo info = info(folder, o);
          if (info.location().name().compareTo(name) >= 0) {
            out.add(info);
          }
        }
      }
      return null;
    });
    metrics.recordList(out.size());
    return out;
  }

  private static ListObjectsV2Request listRequest(Location folder, String delimiter) {
    var b = ListObjectsV2Request.builder().bucket(folder.bucket()).prefix(folder.key());
    if (delimiter != null) {
      b.delimiter(delimiter);
    }
    return b.build();
  }

  private static ObjectInfo info(Location folder, S3Object o) {
    return new ObjectInfo(new Location(Location.S3, folder.bucket(), o.key()), o.size(), o.lastModified(), o.eTag());
  }

  @Override
  public byte[] get(Location location) throws IOException {
    byte[] bytes = Retry.run("reading " + location, options.maxAttempts(), () -> call("reading", location,
        () -> client.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key())).asByteArray()));
    metrics.recordGet(bytes.length);
    return bytes;
  }

  @Override
  public byte[] getRange(Location location, long offset, int length) throws IOException {
    if (length == 0) {
      return new byte[0];
    }
    return Retry.run("reading " + location + " at " + offset, options.maxAttempts(), () -> {
      ResponseInputStream<GetObjectResponse> in;
      try {
        in = call("reading", location, () -> client.getObject(b -> b.bucket(location.bucket()).key(location.key())
            .range("bytes=" + offset + "-" + (offset + length - 1))));
      } catch (StorageException e) {
        if (e.getCause() instanceof S3Exception s3 && s3.statusCode() == 416) {
          return new byte[0]; // the range starts at or past the end: no bytes, as the contract says
        }
        throw e;
      }
      try (in) {
        byte[] bytes = in.readNBytes(length);
        metrics.recordGet(bytes.length);
        if (bytes.length < in.response().contentLength()) {
          throw new IOException("connection closed after " + bytes.length + " of " + in.response().contentLength() + " bytes");
        }
        return bytes;
      }
    });
  }

  @Override
  public void put(Location location, byte[] content) throws IOException {
    Retry.run("writing " + location, options.maxAttempts(), () -> call("writing", location,
        () -> client.putObject(b -> b.bucket(location.bucket()).key(location.key()), RequestBody.fromBytes(content))));
    metrics.recordPut();
  }

  @Override
  public void putFile(Location location, Path file) throws IOException {
    putFile(location, file, bytes -> { });
  }

  /** Uploads a file, in parallel parts when large; {@code progress} receives bytes as they are sent. */
  public void putFile(Location location, Path file, LongConsumer progress) throws IOException {
    long size = Files.size(file);
    if (size <= PART_BYTES) {
      call("writing", location, () -> client.putObject(b -> b.bucket(location.bucket()).key(location.key()),
          RequestBody.fromFile(file)));
      progress.accept(size);
    } else {
      multipart(location, file, size, progress);
    }
    metrics.recordPut();
  }

  private void multipart(Location location, Path file, long size, LongConsumer progress) throws IOException {
    String uploadId = call("starting an upload to", location,
        () -> client.createMultipartUpload(b -> b.bucket(location.bucket()).key(location.key())).uploadId());
    try {
      List<Future<CompletedPart>> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += PART_BYTES, number++) {
        long start = offset;
        int length = (int) Math.min(PART_BYTES, size - offset);
        int partNumber = number;
        parts.add(files().submit(() -> {
          byte[] bytes = new byte[length];
          try (var channel = java.nio.channels.FileChannel.open(file)) {
            channel.read(java.nio.ByteBuffer.wrap(bytes), start);
          }
          String etag = call("uploading part " + partNumber + " of", location, () -> client.uploadPart(
              b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId).partNumber(partNumber),
              RequestBody.fromBytes(bytes)).eTag());
          progress.accept(length);
          return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        }));
      }
      List<CompletedPart> done = new ArrayList<>();
      for (Future<CompletedPart> f : parts) {
        done.add(f.get());
      }
      call("completing the upload to", location, () -> client.completeMultipartUpload(b -> b.bucket(location.bucket())
          .key(location.key()).uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(done).build())));
    } catch (ExecutionException | InterruptedException | IOException | RuntimeException e) {
      try {
        client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
      } catch (SdkException abort) {
        LOG.warn("could not abort the upload to {}: {}", location, abort.getMessage());
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("uploading " + file + " to " + location + " failed: " + cause.getMessage(), cause);
    }
  }

  /**
   * Writes only if the key is free: {@code If-None-Match: *}. 412 means another writer won; 409
   * means a concurrent conditional write is in flight, which the SDK retries and, if it persists,
   * counts as lost (the caller re-reads and decides).
   */
  @Override
  public boolean putIfAbsent(Location location, byte[] content) throws IOException {
    requireS3(location);
    try {
      client.putObject(b -> b.bucket(location.bucket()).key(location.key()).ifNoneMatch("*"), RequestBody.fromBytes(content));
      metrics.recordPut();
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return false;
      }
      throw S3Errors.translate("writing", location, options, e);
    } catch (SdkException e) {
      throw S3Errors.translate("writing", location, options, e);
    }
  }

  @Override
  public void delete(Location location) throws IOException {
    call("deleting", location, () -> client.deleteObject(b -> b.bucket(location.bucket()).key(location.key())));
  }

  @Override
  public Path localFile(ObjectInfo object) throws IOException {
    return cache.get(object, (offset, length, out) -> copyRange(object, offset, length, out));
  }

  @Override
  public Optional<Path> localCopy(ObjectInfo object) throws IOException {
    return cache.cached(object);
  }

  /** Streams a range into the file at the same offset; with the ETag, never mixing two versions of an object. */
  private void copyRange(ObjectInfo object, long offset, int length, java.nio.channels.FileChannel out) throws IOException {
    if (length == 0) {
      return;
    }
    Location location = object.location();
    Retry.run("reading " + location + " at " + offset, options.maxAttempts(), () -> {
      ResponseInputStream<GetObjectResponse> in = call("reading", location, () -> client.getObject(b -> {
        b.bucket(location.bucket()).key(location.key()).range("bytes=" + offset + "-" + (offset + length - 1));
        if (!object.etag().isEmpty()) {
          b.ifMatch(object.etag());
        }
      }));
      try (in) {
        byte[] buffer = new byte[256 << 10];
        java.nio.ByteBuffer wrapped = java.nio.ByteBuffer.wrap(buffer);
        long position = offset;
        int n;
        while (position < offset + length && (n = in.read(buffer, 0, (int) Math.min(buffer.length, offset + length - position))) > 0) {
          wrapped.clear().limit(n);
          while (wrapped.hasRemaining()) {
            position += out.write(wrapped, position);
          }
        }
        metrics.recordGet(position - offset);
        if (position != offset + length) {
          throw new IOException("connection closed after " + (position - offset) + " of " + length + " bytes");
        }
        return null;
      }
    });
  }

  /** Fetches several objects into the cache at once. */
  @Override
  public List<Path> localFiles(List<ObjectInfo> objects) throws IOException {
    List<Future<Path>> futures = new ArrayList<>();
    for (ObjectInfo o : objects) {
      futures.add(files().submit(() -> localFile(o)));
    }
    List<Path> out = new ArrayList<>();
    try {
      for (Future<Path> f : futures) {
        out.add(f.get());
      }
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  /** Creates a bucket (for local servers and tests). */
  public void createBucket(String bucket) throws IOException {
    Location l = new Location(Location.S3, bucket, "");
    call("creating the bucket", l, () -> client.createBucket(b -> b.bucket(bucket)));
  }

  @Override
  public StoreMetrics metrics() {
    return metrics;
  }

  private synchronized ExecutorService files() {
    if (closed) {
      throw LakeRuntime.closedError("use the S3 store of " + options.endpoint().map(Object::toString).orElse("AWS"));
    }
    if (files == null) {
      files = Pools.daemon("neuralake-s3-files", FILE_THREADS);
    }
    return files;
  }

  /**
   * The endpoint, region and principal (access key id or profile, never a secret): stores alike in
   * these reach the same objects, so table state cached for one is valid for the other.
   */
  @Override
  public String identity() {
    String principal = options.accessKeyId().map(k -> "key " + k)
        .or(() -> options.profile().map(p -> "profile " + p)).orElse("default credentials");
    return "s3 " + options.endpoint().map(Object::toString).orElse("aws") + " " + options.region().orElse("(default region)")
        + " " + principal;
  }

  /** Stops this store's threads (transfers under way get a few seconds) and closes its client. */
  @Override
  public void close() {
    ThreadPoolExecutor pool;
    synchronized (this) {
      closed = true;
      pool = files;
    }
    if (pool != null) {
      Pools.stop(pool, Duration.ofSeconds(10), "transfers of the S3 store " + identity());
    }
    client.close();
  }

  private static void requireS3(Location location) {
    if (!location.scheme().equals(Location.S3)) {
      throw new IllegalArgumentException(location + " is not an s3:// location");
    }
  }
}
