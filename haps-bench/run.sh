#!/usr/bin/env bash
# Runs the HAPS benchmark suite and prints its table: JMH (every RouterBench benchmark, one fork,
# -prof gc), then MemoryProbe (resident memory after 10,000 routes with the default router), then
# PairedRatios (route/encoderOnly/peer timed back to back per query), then Report (medians, error
# bars, ratios to encoderOnly, targets). About 8-9 minutes on 2 cores.
#
#   haps-bench/run.sh                 # the whole suite
#   haps-bench/run.sh 'route$'        # extra arguments go to JMH (a regex, or any JMH option)
#
# Writes haps-bench/results/<UTC date-time>.json (JMH), <..>-memory.json and <..>.md (the table).
# Builds haps-bench/target/benchmarks.jar first when it is missing or older than the sources
# (MVN_FLAGS is passed to Maven, e.g. MVN_FLAGS=-o for an offline build).
set -euo pipefail
cd "$(dirname "$0")/.."

jar=haps-bench/target/benchmarks.jar
stale=""
if [[ -f "$jar" ]]; then
  stale=$(find haps-api haps-data haps-onnx haps-runtime haps-bench \
    \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -type f -print -quit 2>/dev/null || true)
  [[ pom.xml -nt "$jar" ]] && stale=pom.xml
fi
if [[ ! -f "$jar" || -n "$stale" ]]; then
  echo "[run.sh] building $jar${stale:+ ($stale changed)}" >&2
  # shellcheck disable=SC2086
  mvn ${MVN_FLAGS:-} -q -pl haps-bench -am install -DskipTests
fi

results=haps-bench/results
mkdir -p "$results"
stamp=$(date -u +%Y-%m-%dT%H%MZ)
json="$results/$stamp.json"

echo "[run.sh] $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -jar "$jar" -f 1 -wi 2 -w 3s -i 3 -r 5s -prof gc -rf json -rff "$json" "$@"
java -cp "$jar" dev.haps.bench.MemoryProbe "$results/$stamp-memory.json" > /dev/null
# The key ratios again, measured paired per query (robust to the machine's drift between benchmarks).
java -cp "$jar" dev.haps.bench.PairedRatios "$results/$stamp-paired.json" | tee "$results/$stamp-paired.md"
java -cp "$jar" dev.haps.bench.Report "$json" "$results/$stamp-memory.json" \
  --markdown "$results/$stamp.md"
echo "[run.sh] load after: $(cut -d' ' -f1-3 /proc/loadavg); results in $results/$stamp.*" >&2
