package io.neuralake.internal;

import io.neuralake.InvalidSettingException;
import io.neuralake.NeuralakeException;
import io.neuralake.storage.Location;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings from the environment: a system property ({@code neuralake.cache.dir}) wins over the
 * environment variable ({@code NEURALAKE_CACHE_DIR}), so tests and embedders can override without
 * touching the process environment.
 *
 * <p>Each setting is parsed where it is read, by the parsers here: a bad value is an
 * {@link InvalidSettingException} naming the setting and a valid example, and nothing is cached
 * on failure, so a corrected value works on the next read in the same process.
 */
public final class Env {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?");

  private Env() {}

  /** A setting's raw value, trimmed; blank is unset. */
  public static Optional<String> get(String variable) {
    return setting(variable).map(Setting::value);
  }

  /** A setting parsed by {@code parser}, which is given the setting's name for its error. */
  public static <T> Optional<T> get(String variable, BiFunction<String, String, T> parser) {
    return setting(variable).map(s -> parser.apply(s.name(), s.value()));
  }

  /** A set value and the name it was set under: the variable, or {@code -Dproperty}. */
  private record Setting(String name, String value) {}

  private static Optional<Setting> setting(String variable) {
    String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
    String v = System.getProperty(property);
    if (v != null && !v.isBlank()) {
      return Optional.of(new Setting("-D" + property, v.trim()));
    }
    v = System.getenv(variable);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(new Setting(variable, v.trim()));
  }

  /** A whole number of at least {@code min}. */
  public static int parseInt(String name, String value, int min, String meaning) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidSettingException(name, value, meaning + ", a whole number of at least " + min,
        name + "=" + Math.max(min, 4));
  }

  /** {@code true}/{@code false} (also {@code 1}/{@code 0}, {@code yes}/{@code no}, {@code on}/{@code off}). */
  public static boolean parseBoolean(String name, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new InvalidSettingException(name, value, "write true or false", name + "=true");
    };
  }

  /** An absolute http(s) URL with a host. */
  public static URI parseHttpUrl(String name, String value) {
    try {
      URI uri = new URI(value.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidSettingException(name, value, "write an http or https URL with a host and port",
        name + "=http://127.0.0.1:9000");
  }

  /** A local path (not created here). */
  public static Path parsePath(String name, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new InvalidSettingException(name, value, "write a file system path (" + e.getReason() + ")", name + "=/var/tmp/neuralake");
    }
  }

  /** A local folder or {@code s3://bucket/prefix}. */
  public static Location parseLocation(String name, String value) {
    try {
      return Location.parse(value);
    } catch (NeuralakeException e) {
      throw new InvalidSettingException(name, value, "write a local folder or s3://bucket/prefix", name + "=s3://my-bucket/lake");
    }
  }

  /** A positive size in bytes: {@code 1073741824}, {@code 512MB}, {@code 10GiB} (KB = 1000, KiB = 1024). */
  public static long parseBytes(String name, String value) {
    Matcher m = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
    if (m.matches()) {
      double bytes = Double.parseDouble(m.group(1)) * unit(m.group(2));
      if (bytes >= 1 && bytes < Long.MAX_VALUE) {
        return (long) bytes;
      }
    }
    throw new InvalidSettingException(name, value, "write a positive size in bytes, optionally with a unit (KB, MB, GB,"
        + " TB, KiB, MiB, GiB, TiB)", name + "=10GB");
  }

  /** A duration of zero or more: {@code 0}, {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} (a bare number is seconds). */
  public static Duration parseDuration(String name, String value) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
      } catch (NumberFormatException | ArithmeticException e) {
        // too large: reported below
      }
    }
    throw new InvalidSettingException(name, value, "write a duration of zero or more, a whole number with a unit (ms, s,"
        + " m, h)", name + "=10s");
  }

  private static double unit(String unit) {
    if (unit == null || unit.equals("B")) {
      return 1;
    }
    double base = unit.endsWith("IB") ? 1024 : 1000;
    int power = "KMGT".indexOf(unit.charAt(0)) + 1;
    return Math.pow(base, power);
  }
}
