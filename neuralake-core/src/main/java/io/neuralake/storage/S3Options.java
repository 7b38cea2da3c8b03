package io.neuralake.storage;

import io.neuralake.ErrorCode;
import io.neuralake.InvalidSettingException;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.Env;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * How to reach S3 (or an S3-compatible server such as MinIO or S3Proxy). Read from the
 * environment with the names the AWS tools and the Python blueprint use, or built in code from
 * values that themselves come from the environment; never write credentials in code.
 *
 * <p>Without explicit keys the SDK's default chain applies: {@code AWS_PROFILE} / {@code ~/.aws},
 * web identity, container and instance roles.
 *
 * @param region {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION})
 * @param endpoint {@code AWS_ENDPOINT_URL}: a non-AWS endpoint, e.g. {@code http://127.0.0.1:9000}
 * @param accessKeyId {@code AWS_ACCESS_KEY_ID}
 * @param secretAccessKey {@code AWS_SECRET_ACCESS_KEY}
 * @param sessionToken {@code AWS_SESSION_TOKEN}
 * @param profile {@code AWS_PROFILE}
 * @param allowHttp {@code AWS_ALLOW_HTTP}: plain-HTTP endpoints are refused unless this is true
 * @param pathStyle {@code AWS_S3_PATH_STYLE} (default: true when an endpoint is set, as MinIO-style
 *     servers need {@code http://host/bucket/key} addressing)
 * @param maxAttempts {@code NEURALAKE_S3_MAX_ATTEMPTS}: attempts per request on throttling, 5xx and
 *     dropped connections, with exponential backoff and jitter (default 10); a refused connection,
 *     an unknown host or another 4xx fails at once
 */
public record S3Options(
    Optional<String> region,
    Optional<URI> endpoint,
    Optional<String> accessKeyId,
    Optional<String> secretAccessKey,
    Optional<String> sessionToken,
    Optional<String> profile,
    boolean allowHttp,
    boolean pathStyle,
    int maxAttempts) {

  public S3Options {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new NeuralakeException(ErrorCode.INVALID_SETTING,
          "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither"
          + " (to use AWS_PROFILE or the instance's role)");
    }
    endpoint.ifPresent(e -> {
      String scheme = e.getScheme() == null ? "" : e.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new NeuralakeException(ErrorCode.INVALID_SETTING,
            "AWS_ENDPOINT_URL='" + e + "' is not an http(s) URL; e.g. http://127.0.0.1:9000");
      }
    });
  }

  /** The standard variables: {@code AWS_ACCESS_KEY_ID}, {@code AWS_ENDPOINT_URL}, ... */
  public static S3Options fromEnvironment() {
    return fromEnvironment("");
  }

  /**
   * The same variables with a prefix, for a second account or endpoint:
   * {@code fromEnvironment("ARCHIVE_")} reads {@code ARCHIVE_AWS_ACCESS_KEY_ID} and so on.
   */
  public static S3Options fromEnvironment(String prefix) {
    Optional<URI> endpoint = Env.get(prefix + "AWS_ENDPOINT_URL_S3", Env::parseHttpUrl)
        .or(() -> Env.get(prefix + "AWS_ENDPOINT_URL", Env::parseHttpUrl));
    boolean pathStyle = Env.get(prefix + "AWS_S3_PATH_STYLE", Env::parseBoolean).orElse(endpoint.isPresent());
    int attempts = Env.get("NEURALAKE_S3_MAX_ATTEMPTS", (name, v) -> Env.parseInt(name, v, 1,
        "attempts per S3 request")).orElse(10);
    Optional<String> accessKey = Env.get(prefix + "AWS_ACCESS_KEY_ID");
    Optional<String> secretKey = Env.get(prefix + "AWS_SECRET_ACCESS_KEY");
    if (accessKey.isPresent() != secretKey.isPresent()) {
      String missing = prefix + (accessKey.isPresent() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
      throw new InvalidSettingException(missing, "", "set both " + prefix + "AWS_ACCESS_KEY_ID and " + prefix
          + "AWS_SECRET_ACCESS_KEY, or neither (to use " + prefix + "AWS_PROFILE or the instance's role)",
          missing + "=<your key>");
    }
    return new S3Options(
        Env.get(prefix + "AWS_REGION", S3Options::parseRegion)
            .or(() -> Env.get(prefix + "AWS_DEFAULT_REGION", S3Options::parseRegion)),
        endpoint,
        accessKey,
        secretKey,
        Env.get(prefix + "AWS_SESSION_TOKEN"),
        Env.get(prefix + "AWS_PROFILE"),
        Env.get(prefix + "AWS_ALLOW_HTTP", Env::parseBoolean).orElse(false),
        pathStyle,
        attempts);
  }

  /** A region name as AWS spells them ({@code us-east-1}); S3-compatible servers take any such word. */
  static String parseRegion(String name, String value) {
    if (!value.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new InvalidSettingException(name, value, "write a region name in lower case, words joined by '-'",
          name + "=us-east-1");
    }
    return value;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder() {
    return new Builder(new S3Options(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), false, false, 10));
  }

  /** Whether requests would go over plain HTTP. */
  public boolean usesHttp() {
    return endpoint.map(e -> "http".equalsIgnoreCase(e.getScheme())).orElse(false);
  }

  /** Never shows secrets. */
  @Override
  public String toString() {
    return "S3Options[region=" + region.orElse("(default)") + ", endpoint=" + endpoint.map(URI::toString).orElse("(AWS)")
        + ", credentials=" + (accessKeyId.isPresent() ? "keys " + mask(accessKeyId.get())
            : profile.map(p -> "profile " + p).orElse("(default chain)"))
        + ", pathStyle=" + pathStyle + ", allowHttp=" + allowHttp + "]";
  }

  private static String mask(String key) {
    return key.length() <= 4 ? "****" : key.substring(0, 4) + "****";
  }

  /** Builds options in code; values typically come from {@link Env}-style lookups, not literals. */
  public static final class Builder {
    private Optional<String> region;
    private Optional<URI> endpoint;
    private Optional<String> accessKeyId;
    private Optional<String> secretAccessKey;
    private Optional<String> sessionToken;
    private Optional<String> profile;
    private boolean allowHttp;
    private boolean pathStyle;
    private int maxAttempts;

    private Builder(S3Options o) {
      region = o.region;
      endpoint = o.endpoint;
      accessKeyId = o.accessKeyId;
      secretAccessKey = o.secretAccessKey;
      sessionToken = o.sessionToken;
      profile = o.profile;
      allowHttp = o.allowHttp;
      pathStyle = o.pathStyle;
      maxAttempts = o.maxAttempts;
    }

    public Builder region(String value) {
      region = Optional.of(value);
      return this;
    }

    /** A non-AWS endpoint; also turns on path-style addressing. */
    public Builder endpoint(String url) {
      endpoint = Optional.of(URI.create(url));
      pathStyle = true;
      return this;
    }

    public Builder credentials(String accessKey, String secretKey) {
      accessKeyId = Optional.of(accessKey);
      secretAccessKey = Optional.of(secretKey);
      return this;
    }

    public Builder sessionToken(String token) {
      sessionToken = Optional.of(token);
      return this;
    }

    public Builder profile(String name) {
      profile = Optional.of(name);
      return this;
    }

    public Builder allowHttp(boolean allow) {
      allowHttp = allow;
      return this;
    }

    public Builder pathStyle(boolean on) {
      pathStyle = on;
      return this;
    }

    public Builder maxAttempts(int attempts) {
      maxAttempts = attempts;
      return this;
    }

    public S3Options build() {
      return new S3Options(region, endpoint, accessKeyId, secretAccessKey, sessionToken, profile, allowHttp, pathStyle,
          maxAttempts);
    }
  }
}
