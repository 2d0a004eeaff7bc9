# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: an existing JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm.
postern_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = //p' | head -n 1 | cut -d. -f1
}
postern_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(postern_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(postern_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "Postern needs a JDK 21 or newer: set JAVA_HOME to one, or install one under /usr/lib/jvm." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
postern_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own guava and Tink's protobuf still use sun.misc.Unsafe; JDK 24+ warns about it.
if [ "$(postern_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
