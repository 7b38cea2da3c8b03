package io.neuralake.storage;

import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns SDK failures into messages that name the URI and say what to set or check. */
final class S3Errors {
  private S3Errors() {}

  static StorageException translate(String action, Location location, S3Options options, SdkException e) {
    String where = action + " " + location;
    String message;
    boolean notFound = false;
    if (e instanceof NoSuchBucketException
        || (e instanceof S3Exception s && "NoSuchBucket".equals(code(s)))) {
      message = where + ": the bucket '" + location.bucket() + "' does not exist at " + endpoint(options)
          + "; create it, or check the bucket name and AWS_ENDPOINT_URL";
    } else if (e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404)) {
      message = where + ": no such object (404)";
      notFound = true;
    } else if (e instanceof S3Exception s && s.statusCode() == 412) {
      message = where + ": the object changed while it was being read (its ETag no longer matches); run the"
          + " request again";
    } else if (e instanceof S3Exception s && s.statusCode() == 403) {
      message = where + ": access denied (403, " + code(s) + "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
          + " (or AWS_PROFILE / the role) and that they may read this bucket";
    } else if (e instanceof S3Exception s && s.statusCode() == 400 && "InvalidAccessKeyId".equals(code(s))) {
      message = where + ": the access key is not known to " + endpoint(options) + "; check AWS_ACCESS_KEY_ID";
    } else if (e instanceof S3Exception s) {
      message = where + ": S3 error " + s.statusCode() + " " + code(s) + " after " + options.maxAttempts()
          + " attempts: " + firstLine(s.getMessage());
    } else if (e instanceof SdkClientException && isMissingCredentials(e)) {
      message = where + ": no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE,"
          + " or run where an instance or web-identity role provides them";
    } else if (e instanceof SdkClientException && isUnreachable(e)) {
      message = where + ": cannot reach the S3 endpoint " + endpoint(options) + " (" + rootCause(e)
          + "); check AWS_ENDPOINT_URL and that the server is running";
    } else {
      message = where + ": " + firstLine(e.getMessage());
    }
    return new StorageException(message, e, notFound);
  }

  private static boolean isMissingCredentials(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return m.contains("unable to load credentials") || m.contains("no credentials")
        || (m.contains("credentials") && m.contains("provider"));
  }

  private static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
          || t instanceof java.net.NoRouteToHostException || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
  }

  private static String code(S3Exception s) {
    return s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null ? "" : s.awsErrorDetails().errorCode();
  }

  private static String endpoint(S3Options options) {
    return options.endpoint().map(Object::toString).orElse("AWS S3" + options.region().map(r -> " (" + r + ")").orElse(""));
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
