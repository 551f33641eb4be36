#!/usr/bin/env bash
# Nested cross-validation of haps train's recipe with the project's own binaries: the honest
# out-of-sample figure for a recipe (and its options) against the baselines, on train+valid only.
#
#   docs/analysis/nested-cv.sh DATA OUT [NAME=FLAGS ...]
#
# DATA is an outcome log (e.g. ../shared/data/zeroeval); its test split is dropped at load. The
# train and valid queries are cut into FOLDS outer folds (Python's random.Random(FOLD_SEED)
# shuffle of the file order, fold k = every FOLDS-th query from k); for fold k a copy of the log
# has fold k as its "test" split and the rest keep their own train/valid labels. Every recipe
# (NAME=FLAGS: extra haps train flags; default just "def=", the defaults) trains on that copy
# with `haps train --seed SEED` (which runs its own inner cross-validation) and one
# `haps eval` per fold scores all recipes and the ridge, kNN and MLP baselines on the held-out
# fold. Prints each router's mean gap closed and its paired difference to the first recipe.
#
# Needs the CLI jar: ./mvnw -pl haps-cli -am package -DskipTests
# Environment: FOLDS (5), FOLD_SEED (0), SEED (7), HAPS (default: java -jar haps-cli/target/haps.jar).
set -euo pipefail
DATA=$(cd "$1" && pwd)
OUT=$2
shift 2
RECIPES=("${@:-def=}")
FOLDS=${FOLDS:-5}
FOLD_SEED=${FOLD_SEED:-0}
SEED=${SEED:-7}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HAPS=${HAPS:-java -jar $ROOT/haps-cli/target/haps.jar}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

python3 - "$DATA" "$OUT" "$FOLDS" "$FOLD_SEED" <<'PY'
import json, os, random, shutil, sys
data, out, folds, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = [json.loads(l) for l in open(os.path.join(data, "outcomes.jsonl")) if l.strip()]
rows = [r for r in rows if r["split"] != "test"]  # test is never read
order = list(range(len(rows)))
random.Random(seed).shuffle(order)
for k in range(folds):
    d = os.path.join(out, "f%d" % k)
    os.makedirs(d, exist_ok=True)
    shutil.copy(os.path.join(data, "candidates.json"), d)
    held = set(order[k::folds])
    with open(os.path.join(d, "outcomes.jsonl"), "w") as f:
        for i, r in enumerate(rows):
            r = dict(r)
            if i in held:
                r["split"] = "test"
            f.write(json.dumps(r) + "\n")
PY

names=()
for recipe in "${RECIPES[@]}"; do
  names+=("${recipe%%=*}")
done
failed() {  # what, log
  echo "nested-cv: $1 failed; its output is in $2" >&2
  tail -n 5 "$2" >&2
  exit 1
}
for k in $(seq 0 $((FOLDS - 1))); do
  d="$OUT/f$k"
  bundles=()
  for recipe in "${RECIPES[@]}"; do
    name=${recipe%%=*}
    flags=${recipe#*=}
    if [ ! -f "$d/b-$name/manifest.json" ]; then
      # shellcheck disable=SC2086 # flags are words on purpose
      $HAPS train --data "$d" --out "$d/b-$name" --seed "$SEED" --cache-dir "$OUT/cache" \
        --quiet $flags > "$d/train-$name.log" 2>&1 \
        || failed "haps train (fold $k, recipe $name)" "$d/train-$name.log"
    fi
    echo "fold $k $name: $(grep '^chosen' "$d/train-$name.log" | sed 's/^chosen *//')"
    bundles+=(--bundle "$name=$d/b-$name")
  done
  $HAPS eval --data "$d" "${bundles[@]}" --baselines ridge,knn,mlp --split test \
    --cache-dir "$OUT/cache" --report "$d/e" --quiet > "$d/eval.log" 2>&1 \
    || failed "haps eval (fold $k)" "$d/eval.log"
done

python3 - "$OUT" "$FOLDS" "${names[@]}" <<'PY'
import json, math, os, sys
out, folds, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
gap = {}
for k in range(folds):
    for r in json.load(open(os.path.join(out, "f%d" % k, "e", "report.json")))["routers"]:
        gap.setdefault(r["name"], []).append(r["gap_closed"])
first = gap[names[0]]
for name, g in sorted(gap.items(), key=lambda e: -sum(e[1])):
    line = "%-10s gap closed %+.3f (folds %s)" % (name, sum(g) / folds, " ".join("%+.3f" % x for x in g))
    if name != names[0]:
        d = [a - b for a, b in zip(g, first)]
        m = sum(d) / folds
        se = math.sqrt(sum((x - m) ** 2 for x in d) / (folds - 1) / folds)
        line += "; vs %s %+.3f ± %.3f" % (names[0], m, se)
    print(line)
PY
