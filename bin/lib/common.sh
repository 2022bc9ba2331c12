# Shared by bin/pretrain4j and bin/test: find a JDK >= 21, set the offline/telemetry variables.
# Sourced, not executed.

# DJL and ONNX Runtime phone home unless told not to; pretrain4j never lets them.
export DJL_OFFLINE=true
export OPT_OUT_TRACKING=true
export ORT_DISABLE_TELEMETRY=1

P4J_MIN_JAVA=21

p4j_java_version() {
  # Prints the feature version (17, 21, 25, ...) of the java binary $1, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {gsub(/[^0-9.]/, "", $2); split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

p4j_find_jdk() {
  # Sets JAVA_HOME to a JDK >= 21 (with javac), trying JAVA_HOME, PATH, then /usr/lib/jvm and friends.
  local candidates=() home java version
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && candidates+=("$home")
  done
  local best="" best_version=0
  for home in "${candidates[@]}"; do
    java="$home/bin/java"
    [ -x "$java" ] && [ -x "$home/bin/javac" ] || continue
    version=$(p4j_java_version "$java")
    [ -n "$version" ] || continue
    if [ "$version" -ge "$P4J_MIN_JAVA" ] && [ "$version" -gt "$best_version" ]; then
      best="$home"; best_version="$version"
    fi
    # A JAVA_HOME that qualifies wins over newer ones elsewhere.
    if [ "$home" = "${JAVA_HOME:-}" ] && [ "$version" -ge "$P4J_MIN_JAVA" ]; then
      best="$home"; best_version="$version"; break
    fi
  done
  if [ -z "$best" ]; then
    echo "pretrain4j: no JDK $P4J_MIN_JAVA or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
    echo "pretrain4j: install one (e.g. 'apt-get install openjdk-21-jdk') or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  P4J_JAVA_VERSION="$best_version"
  if [ "$best_version" -ge 24 ]; then
    # Maven's own Guava touches sun.misc.Unsafe; keep JDK 24+ from warning about it on every build.
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}

p4j_find_maven() {
  if [ -n "${MVN:-}" ]; then return 0; fi
  if command -v mvn >/dev/null 2>&1; then MVN=mvn; return 0; fi
  echo "pretrain4j: Maven (mvn) is not on PATH; install Maven 3.8 or newer (e.g. 'apt-get install maven')." >&2
  return 1
}
