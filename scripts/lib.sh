# Shared by scripts/*: finds a JDK >= 21, the Maven wrapper, and the JVM flags Roost needs.
# Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOST_JAR="${ROOST_JAR:-$ROOT/server/target/roost.jar}"

java_major() { # $1 = java binary; prints the feature version or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1
}

find_jdk() { # sets JAVA_HOME to a JDK >= 21 or exits with a message
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/*/ /opt/java/*/ /usr/local/lib/jvm/*/; do [ -d "$c" ] && candidates+=("${c%/}"); done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v="$(java_major "$c/bin/java")"
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      export JAVA_HOME="$c"
      JAVA_FEATURE="$v"
      if [ "$v" -ge 24 ]; then
        # Maven itself calls sun.misc.Unsafe; keep its start-up quiet on JDK 24+.
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      fi
      return 0
    fi
  done
  echo "roost: no JDK 21 or newer found (looked at JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm, /opt/java)." >&2
  echo "roost: install one (for example Debian's openjdk-21-jdk or a Temurin JDK) and set JAVA_HOME to it." >&2
  exit 1
}

jvm_flags() { # prints the flags Netty and Agrona need on $JAVA_FEATURE
  local f="--add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
  f="$f --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true"
  if [ "${JAVA_FEATURE:-21}" -ge 24 ]; then
    f="$f --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
  fi
  echo "$f"
}

mvnw() { "$ROOT/mvnw" -B -ntp "$@"; }

need_debian_packages() { # installs missing Debian packages: need_debian_packages cmd:pkg ...
  local missing=() spec
  for spec in "$@"; do command -v "${spec%%:*}" >/dev/null 2>&1 || missing+=("${spec#*:}"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "roost: installing ${missing[*]}" >&2
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

jar_is_stale() { # true when the server jar is missing or older than any source (ROOST_NO_BUILD=1: only missing)
  [ -f "$ROOST_JAR" ] || return 0
  [ "${ROOST_NO_BUILD:-0}" = 1 ] && return 1
  [ -n "$(find "$ROOT" -path "$ROOT/*/target" -prune -o -path "$ROOT/compat" -prune -o -path "$ROOT/bench" -prune \
    -o \( -name 'pom.xml' -o -path '*/src/main/*' \) -type f -newer "$ROOST_JAR" -print -quit)" ]
}
