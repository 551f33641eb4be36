#!/usr/bin/env bash
# A new library user's first five minutes (issue 17), exactly as README.md tells them:
#   1. install the artifacts into the local Maven repository (README: ./mvnw install -DskipTests;
#      here only the modules the snippet needs and what they depend on, to keep CI short);
#   2. create a fresh Maven project from nothing but the README's <dependency> block and its
#      "Use it from code" program (both cut out of README.md, not copied here);
#   3. build and run it: it must route a query;
#   4. ./haps from another folder resolves relative paths against that folder (issue 16 item 5):
#      route --bundle bundle, and train --data . --out b from inside a log folder.
#
#   .ci/first-five-minutes.sh                    # installs into ~/.m2 (CI runs alone)
#   MAVEN_REPO=/tmp/m2 .ci/first-five-minutes.sh # a private local repository instead
#   MAVEN_OFFLINE=1 ...                          # no network (everything already in the repository)
set -euo pipefail
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd -P)
readme="$root/README.md"
mvn_opts=(--batch-mode --no-transfer-progress -q)
[[ -n "${MAVEN_REPO:-}" ]] && mvn_opts+=("-Dmaven.repo.local=$MAVEN_REPO")
[[ -n "${MAVEN_OFFLINE:-}" ]] && mvn_opts+=(-o)
work=$(mktemp -d "${TMPDIR:-/tmp}/haps-first-five.XXXXXX")
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)

# The n-th fenced block of a kind after the line starting with $2 in the README.
block() { # kind, heading, n
  awk -v kind="$1" -v head="$2" -v n="$3" '
    index($0, head) == 1 { on = 1; next }
    on && $0 == "```" kind { k++; if (k == n) { inb = 1; next } }
    inb && $0 == "```" { exit }
    inb { print }' "$readme"
}

echo "[first-five] 1/4 install (README: ./mvnw install -DskipTests)" >&2
grep -q '^\./mvnw install -DskipTests$' "$readme" \
  || { echo "README.md no longer says ./mvnw install -DskipTests; update this script" >&2; exit 1; }
(cd "$root" && ./mvnw "${mvn_opts[@]}" install -DskipTests -pl haps-bom,haps-runtime -am)

echo "[first-five] 2/4 fresh project from README.md's snippets in $work" >&2
deps=$(block xml "## Use it from code" 1)
program=$(block java "## Use it from code" 1)
[[ "$deps" == *"<artifactId>haps-bom</artifactId>"* && "$deps" == *"<artifactId>haps-runtime</artifactId>"* ]] \
  || { echo "README.md's first xml block under 'Use it from code' lost the BOM or haps-runtime" >&2; exit 1; }
class=$(printf '%s\n' "$program" | sed -n 's/^public class \([A-Za-z0-9_]*\).*/\1/p')
[[ -n "$class" ]] || { echo "README.md's first java block is not a whole class" >&2; exit 1; }
mkdir -p "$work/app/src/main/java"
printf '%s\n' "$program" > "$work/app/src/main/java/$class.java"
cat > "$work/app/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>first-five-minutes</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
$deps
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.9.0</version></plugin>
    </plugins>
  </build>
</project>
POM

echo "[first-five] 3/4 build and run $class" >&2
(cd "$root" && ./mvnw "${mvn_opts[@]}" -f "$work/app/pom.xml" compile dependency:build-classpath \
  -Dmdep.outputFile="$work/app/classpath.txt")
out=$(java -cp "$work/app/target/classes:$(cat "$work/app/classpath.txt")" "$class")
printf '%s\n' "$out"
first=$(printf '%s\n' "$out" | head -n 1)
[[ "$first" == gpt-* ]] || { echo "the README program did not print a routed model first: '$first'" >&2; exit 1; }

echo "[first-five] 4/4 ./haps with relative paths, from another folder" >&2
mkdir -p "$work/caller/bundle"
cp "$root"/haps-runtime/src/main/resources/dev/haps/bundles/default/{manifest.json,router.onnx} "$work/caller/bundle/"
(cd "$work/caller" && "$root/haps" route --bundle bundle "What is 17 * 23?" | grep '^model ' > /dev/null) \
  || { echo "./haps route --bundle bundle failed from $work/caller" >&2; exit 1; }
# The issue's own case: train from inside a log folder (a slice of the replay plugin's concise-cot
# log: 60 train and 20 valid queries), then route with the bundle it wrote, both by relative path.
log="$root/haps-providers/haps-provider-replay/src/main/resources/dev/haps/provider/replay/concise-cot"
mkdir -p "$work/caller/log"
cp "$log/candidates.json" "$work/caller/log/"
# (awk reads the whole file: `grep | head` would end grep with SIGPIPE, fatal under pipefail)
awk '/"split":"train"/ && t++ < 60 || /"split":"valid"/ && v++ < 20' "$log/outcomes.jsonl" \
  > "$work/caller/log/outcomes.jsonl"
(cd "$work/caller/log" && "$root/haps" train --data . --out b --quiet \
  && [ -f b/manifest.json ] && "$root/haps" route --bundle b "What is 17 * 23?" | grep '^model ' > /dev/null) \
  || { echo "./haps train --data . --out b (then route --bundle b) failed from $work/caller/log" >&2; exit 1; }

echo "[first-five] ok in $(( $(date +%s) - t0 )) s" >&2
