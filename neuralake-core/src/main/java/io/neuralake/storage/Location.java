package io.neuralake.storage;

import static java.util.Objects.requireNonNull;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where an object or folder lives: a local path or an {@code s3://bucket/key} URI.
 *
 * <p>Locations are plain strings with a scheme, so the same table declaration works against a
 * local folder and a bucket. Folder locations end with a slash; {@link #asFolder()} adds it, which
 * is what keeps a listing of {@code date=2024-01-0} from also matching {@code date=2024-01-01}.
 */
public record Location(String scheme, String bucket, String key) {
  public Location {
    requireNonNull(scheme, "scheme");
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
  }

  public static final String FILE = "file";
  public static final String S3 = "s3";

  /** Parses {@code s3://bucket/key}, {@code file:///path} or a plain local path (made absolute). */
  public static Location parse(String text) {
    requireNonNull(text, "location");
    String t = text.trim();
    if (t.isEmpty()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "an empty location is not valid; use a local path or s3://bucket/prefix");
    }
    if (t.regionMatches(true, 0, "file:", 0, 5) && !t.startsWith("file://")) {
      // Hadoop's (and Delta Kernel's) spelling of a local path: file:/abs/path, not escaped
      return local(t.substring(5), t.endsWith("/"));
    }
    int sep = t.indexOf("://");
    if (sep > 0) {
      String scheme = t.substring(0, sep).toLowerCase(Locale.ROOT);
      String rest = t.substring(sep + 3);
      switch (scheme) {
        case "s3", "s3a" -> {
          int slash = rest.indexOf('/');
          String bucket = slash < 0 ? rest : rest.substring(0, slash);
          String key = slash < 0 ? "" : rest.substring(slash + 1);
          if (bucket.isEmpty()) {
            throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
                "the location '" + text + "' has no bucket; write s3://bucket/prefix");
          }
          return new Location(S3, bucket, key);
        }
        case "file" -> {
          String path = Path.of(URI.create(t)).toString();
          return local(path, t.endsWith("/"));
        }
        default -> throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
            "the location '" + text + "' has the scheme '" + scheme
            + "', which is not supported; use a local path, file:// or s3://");
      }
    }
    return local(t, t.endsWith("/") || t.endsWith("\\"));
  }

  private static Location local(String path, boolean folder) {
    String abs = Path.of(path).toAbsolutePath().normalize().toString();
    if (folder && !abs.endsWith("/")) {
      abs = abs + "/";
    }
    return new Location(FILE, "", abs);
  }

  public static Location ofPath(Path path) {
    return local(path.toString(), false);
  }

  public boolean isLocal() {
    return scheme.equals(FILE);
  }

  /** The local file system path; only for local locations. */
  public Path path() {
    if (!isLocal()) {
      throw new IllegalStateException(this + " is not a local path");
    }
    return Path.of(key);
  }

  public boolean isFolder() {
    return key.isEmpty() || key.endsWith("/");
  }

  /** The same location with a trailing slash, so prefix matches stop at folder boundaries. */
  public Location asFolder() {
    return isFolder() ? this : new Location(scheme, bucket, key + "/");
  }

  /**
   * A child of this folder: {@code resolve("a=1/b.parquet")}. Never above it: a {@code .} or
   * {@code ..} segment (which a local file system would follow) is refused.
   */
  public Location resolve(String relative) {
    String child = stripLeadingSlash(relative);
    for (String segment : child.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("'" + relative + "' is not a path below " + asFolder()
            + ": it has a '" + segment + "' segment; name the child without '.' or '..'");
      }
    }
    return new Location(scheme, bucket, asFolder().key + child);
  }

  /** The part of {@code child} below this folder, or null if it is not below it. */
  public String relativize(Location child) {
    Location folder = asFolder();
    if (!child.scheme.equals(scheme) || !child.bucket.equals(bucket) || !child.key.startsWith(folder.key)) {
      return null;
    }
    return child.key.substring(folder.key.length());
  }

  /** The last path segment, without a trailing slash. */
  public String name() {
    String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    int slash = k.lastIndexOf('/');
    return slash < 0 ? k : k.substring(slash + 1);
  }

  private static String stripLeadingSlash(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '/') {
      i++;
    }
    return s.substring(i);
  }

  @Override
  public String toString() {
    return isLocal() ? key : scheme + "://" + bucket + "/" + key;
  }
}
