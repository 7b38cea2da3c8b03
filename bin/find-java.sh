# Sourced by ./neuralake and .ci/run: points JAVA_HOME at a JDK >= 21 (with javac, which catalogs
# written as Java source need). Looks at JAVA_HOME, `java` on the PATH, then the usual install folders.
neuralake_java_version() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

neuralake_find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local d
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && candidates+=("$d")
  done
  local c v best="" best_v=0
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(neuralake_java_version "$c")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ]; then
      # the first acceptable one wins: JAVA_HOME, then the PATH, then install folders
      if [ -z "$best" ]; then best="$c"; best_v="$v"; fi
    fi
  done
  if [ -z "$best" ]; then
    echo "Neuralake needs a JDK 21 or newer (with javac); none was found in JAVA_HOME, on the PATH or in /usr/lib/jvm." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) and/or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

neuralake_find_java
