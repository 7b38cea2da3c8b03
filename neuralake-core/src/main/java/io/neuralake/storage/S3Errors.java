package io.neuralake.storage;

import static io.neuralake.internal.Messages.firstLine;

import io.neuralake.ErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which SDK failures are worth another attempt, and messages for the rest that name the URI and
 * say what to set or check.
 */
final class S3Errors {
  /** 400s that S3 documents as transient (the connection idled, or the clock needs the server's time). */
  private static final Set<String> TRANSIENT_CODES = Set.of("RequestTimeout", "RequestTimeTooSkewed", "SlowDown",
      "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded");

  private S3Errors() {}

  /**
   * Worth retrying with backoff: throttling, 5xx (but 501/505, which say the server lacks a
   * feature), and network failures that a new connection may not meet (resets, timeouts). Not: a
   * refused connection or an unknown host (the endpoint is wrong or down), or another 4xx.
   */
  static boolean isTransient(Throwable e) {
    if (cannotConnect(e) != null) {
      return false;
    }
    if (e instanceof SdkServiceException s) {
      int status = s.statusCode();
      return isThrottling(e) || TRANSIENT_CODES.contains(code(s))
          || (status >= 500 && status != 501 && status != 505);
    }
    return hasCause(e, IOException.class);
  }

  static boolean isThrottling(Throwable e) {
    return e instanceof SdkServiceException s && (s.isThrottlingException() || s.statusCode() == 503
        || "SlowDown".equals(code(s)));
  }

  static StorageException translate(String action, Location location, S3Options options, SdkException e) {
    String where = action + " " + location;
    String message;
    ErrorCode code = ErrorCode.STORAGE_UNAVAILABLE;
    Throwable unreachable = cannotConnect(e);
    if (e instanceof NoSuchBucketException
        || (e instanceof S3Exception s && "NoSuchBucket".equals(code(s)))) {
      message = where + ": the bucket '" + location.bucket() + "' does not exist at " + endpoint(options)
          + "; create it, or check the bucket name and AWS_ENDPOINT_URL";
      code = ErrorCode.BUCKET_NOT_FOUND;
    } else if (e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404)) {
      message = where + ": no such object (404)";
      code = ErrorCode.OBJECT_NOT_FOUND;
    } else if (e instanceof S3Exception s && s.statusCode() == 412) {
      message = where + ": the object changed while it was being read (its ETag no longer matches); run the"
          + " request again";
    } else if (e instanceof S3Exception s && s.statusCode() == 403) {
      message = where + ": access denied (403, " + code(s) + "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
          + " (or AWS_PROFILE / the role) and that they may read this bucket";
      code = ErrorCode.STORAGE_ACCESS_DENIED;
    } else if (e instanceof S3Exception s && s.statusCode() == 400 && "InvalidAccessKeyId".equals(code(s))) {
      message = where + ": the access key is not known to " + endpoint(options) + "; check AWS_ACCESS_KEY_ID";
      code = ErrorCode.STORAGE_ACCESS_DENIED;
    } else if (e instanceof S3Exception s) {
      message = where + ": S3 error " + s.statusCode() + (code(s).isEmpty() ? "" : " " + code(s)) + afterAttempts(e)
          + ": " + serverMessage(s);
    } else if (e instanceof SdkClientException && isMissingCredentials(e)) {
      message = where + ": no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE,"
          + " or run where an instance or web-identity role provides them";
      code = ErrorCode.STORAGE_ACCESS_DENIED;
    } else if (unreachable instanceof UnknownHostException) {
      message = where + ": the host name '" + host(options, location) + "' does not resolve (S3 endpoint "
          + endpoint(options) + "); check the spelling of AWS_ENDPOINT_URL, and the network's name service";
    } else if (unreachable != null) {
      message = where + ": nothing accepts connections at " + hostPort(options) + " (" + firstLine(unreachable.getMessage())
          + "); check AWS_ENDPOINT_URL and that the server is running";
    } else if (e instanceof SdkClientException && hasCause(e, SocketTimeoutException.class)) {
      message = where + ": the S3 endpoint " + endpoint(options) + " did not answer in time" + afterAttempts(e)
          + "; check that the server is up and not overloaded, and the network";
    } else {
      message = where + ": " + sdkMessage(e) + afterAttempts(e);
    }
    return new StorageException(code, message, e);
  }

  /** The failure to connect at all (refused, no route, unknown host) behind an exception, or null. */
  private static Throwable cannotConnect(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
        return t;
      }
    }
    return null;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** " after N attempts" when there was more than one, as the SDK counted them. */
  private static String afterAttempts(SdkException e) {
    Integer n = e.numAttempts();
    return n != null && n > 1 ? " after " + n + " attempts" : "";
  }

  private static boolean isMissingCredentials(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return m.contains("unable to load credentials") || m.contains("no credentials")
        || (m.contains("credentials") && m.contains("provider"));
  }

  /** The server's own words, without the SDK's "(Service: S3, Status Code: ..., Request ID: ...)". */
  private static String serverMessage(S3Exception s) {
    String m = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
    return m == null || m.isBlank() ? sdkMessage(s) : firstLine(m);
  }

  /** The SDK's message without the attempt count it appends (we say that once, ourselves). */
  private static String sdkMessage(SdkException e) {
    String m = e.rawMessage() != null ? e.rawMessage() : e.getMessage();
    return firstLine(m).replaceAll("\\s*\\(SDK Attempt Count: \\d+\\)", "")
        .replaceAll("\\s*\\(Service: [^)]*\\)", "");
  }

  private static String code(SdkServiceException s) {
    if (s instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null) {
      return a.awsErrorDetails().errorCode();
    }
    return "";
  }

  private static String endpoint(S3Options options) {
    return options.endpoint().map(Object::toString).orElse("AWS S3" + options.region().map(r -> " (" + r + ")").orElse(""));
  }

  private static String host(S3Options options, Location location) {
    return options.endpoint().map(java.net.URI::getHost).orElse(location.bucket() + ".s3.amazonaws.com");
  }

  private static String hostPort(S3Options options) {
    return options.endpoint().map(u -> u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())).orElse(endpoint(options));
  }
}
