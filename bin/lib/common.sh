# Shared by bin/pretrain4j and bin/test: find a JDK >= 21, set the offline/telemetry variables.
# Sourced, not executed.

# DJL and ONNX Runtime phone home unless told not to; pretrain4j never lets them.
export DJL_OFFLINE=true
export OPT_OUT_TRACKING=true
export ORT_DISABLE_TELEMETRY=1

# The JVM encodes file names with the locale's charset: under an unset or POSIX locale (common in containers)
# a non-ASCII file name cannot even be created. Pick a UTF-8 locale when the one in force is not.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;
  *)
    p4j_locale=C.UTF-8
    for candidate in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
      if locale -a 2>/dev/null | grep -qx "$candidate"; then p4j_locale="$candidate"; break; fi
    done
    export LC_ALL="$p4j_locale"
    unset p4j_locale
    ;;
esac

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

p4j_build() {
  # Builds an app (and what it needs): p4j_build <app dir> <jar name>, when the sources are newer than the build.
  local app_dir="$1" jar_name="$2"
  local app="$ROOT/$app_dir/target/$jar_name.jar" lib="$ROOT/$app_dir/target/lib"
  if [ ! -f "$app" ] || [ ! -d "$lib" ] \
      || [ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -newer "$app" -print -quit)" ]; then
    p4j_find_maven
    echo "pretrain4j: building $app_dir (first run or sources changed; takes a minute) ..." >&2
    local log
    log="$(mktemp)"
    if ! (cd "$ROOT" && "$MVN" -B -q -ntp -DskipTests install -pl "$app_dir" -am >"$log" 2>&1); then
      cat "$log" >&2
      echo "pretrain4j: the build failed (output above)." >&2
      rm -f "$log"
      exit 1
    fi
    rm -f "$log"
    # Maven leaves an up-to-date jar untouched; mark it built now so that a change elsewhere (a fake, a test
    # helper) does not make every later launch build again
    touch "$app"
  fi
}

p4j_launch() {
  # Runs an app on the module path: p4j_launch <app dir> <jar name> <module/main class> [args...].
  # Builds the app (and what it needs) first when the sources are newer than the build.
  local app_dir="$1" jar_name="$2" main="$3"
  shift 3
  p4j_build "$app_dir" "$jar_name"
  local app="$ROOT/$app_dir/target/$jar_name.jar" lib="$ROOT/$app_dir/target/lib"
  # Everything runs on the module path except jars that are not valid modules (libtorch's native
  # jar: its resource folders are not legal package names), which go on the class path. DJL cannot
  # declare that it needs SLF4J, so org.slf4j is added by hand (its provider, slf4j-jdk14, binds itself).
  local module_path="$app" class_path="" jar
  for jar in "$lib"/*.jar; do
    case "$(basename "$jar")" in
      pytorch-native-*) class_path="${class_path:+$class_path:}$jar" ;;
      *) module_path="$module_path:$jar" ;;
    esac
  done
  # Direct buffers are freed only by garbage collection; a bound makes the JVM collect before they
  # pile up (the staging of model weights is pooled, but engines allocate their own). Overridable with
  # PRETRAIN4J_MAX_DIRECT_MEMORY, or with -XX:MaxDirectMemorySize in PRETRAIN4J_JAVA_OPTS.
  local direct="-XX:MaxDirectMemorySize=${PRETRAIN4J_MAX_DIRECT_MEMORY:-512m}"
  case "${PRETRAIN4J_JAVA_OPTS:-}" in *MaxDirectMemorySize*) direct="" ;; esac
  exec "$JAVA_HOME/bin/java" $direct ${PRETRAIN4J_JAVA_OPTS:-} \
    --enable-native-access=ALL-UNNAMED,com.sun.jna,ai.djl.pytorch_engine,ai.djl.api,com.microsoft.onnxruntime \
    --module-path "$module_path" --add-modules org.slf4j ${class_path:+--class-path "$class_path"} \
    -m "$main" "$@"
}
