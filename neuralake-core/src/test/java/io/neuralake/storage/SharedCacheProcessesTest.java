package io.neuralake.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.sample.TpchData;
import io.neuralake.testing.LocalS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several processes share one cache folder: each object is downloaded once, and all read the same rows. */
class SharedCacheProcessesTest {
  @TempDir Path tmp;

  @Test
  void processesShareOneCache() throws Exception {
    Path lake = tmp.resolve("lineitem");
    TpchData.writeTable("lineitem", lake, 0.01, 10_000);
    String bucket = LocalS3.newBucket();
    int objects = 0;
    try (S3ObjectStore store = LocalS3.store(tmp.resolve("upload-cache")); Stream<Path> files = Files.list(lake)) {
      for (Path f : files.toList()) {
        store.putFile(Location.parse("s3://" + bucket + "/lineitem/" + f.getFileName()), f);
        objects++;
      }
    }
    Path sharedCache = tmp.resolve("shared-cache");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
          "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
          SharedCacheReader.class.getName(), "s3://" + bucket + "/lineitem")
          .redirectErrorStream(true).redirectOutput(tmp.resolve("out-" + i + ".txt").toFile());
      var env = pb.environment();
      env.put("AWS_ENDPOINT_URL", LocalS3.server().endpoint().toString());
      env.put("AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY);
      env.put("AWS_ALLOW_HTTP", "true");
      env.put("AWS_REGION", "us-east-1");
      env.put("NEURALAKE_CACHE_DIR", sharedCache.toString());
      processes.add(pb.start());
    }
    Pattern line = Pattern.compile("rows=(\\d+) q=(\\S+) misses=(\\d+) hits=(\\d+)");
    String result = null;
    long misses = 0;
    for (int i = 0; i < processes.size(); i++) {
      assertThat(processes.get(i).waitFor(3, TimeUnit.MINUTES)).isTrue();
      String out = Files.readString(tmp.resolve("out-" + i + ".txt"));
      assertThat(processes.get(i).exitValue()).as(out).isZero();
      Matcher m = line.matcher(out);
      assertThat(m.find()).as(out).isTrue();
      String rows = m.group(1) + " " + m.group(2);
      if (result == null) {
        result = rows;
      }
      assertThat(rows).isEqualTo(result);
      misses += Long.parseLong(m.group(3));
    }
    assertThat(result).startsWith("60175 ");
    assertThat(misses).as("each object downloaded by exactly one process").isEqualTo(objects);
    try (Stream<Path> cached = Files.walk(sharedCache)) {
      List<Path> files = cached.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().length() == 64).toList();
      assertThat(files).hasSize(objects);
    }
    try (Stream<Path> leftovers = Files.walk(sharedCache)) {
      assertThat(leftovers.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }
}
