#!/usr/bin/env bash
# Cross-validated comparison of the frozen encoder with fine-tuned top layers (issue #25).
#
#   docs/analysis/fine-tune-cv.sh DATA OUT [CONFIG...]
#
# DATA is an outcome log (e.g. ../shared/data/routerbench-3task); OUT a work folder. CONFIG is
# frozen, N1, N2, ... (default: frozen N1 N2). Its test split is never read: the train and valid
# queries are cut into 5 seeded folds; for fold k, fold k becomes the "test" split of a copy of
# the log, 15% of the rest (seeded) its "valid" split (early stopping, checkpoints) and the rest
# "train". Each configuration trains on that copy with `haps train` (defaults, plus
# --fine-tune-layers N) and is scored on the held-out fold with `haps eval` (gap closed). Writes
# OUT/results.tsv (config, fold, gap closed, wall s, CPU s) and prints mean ± sd per config and
# the paired differences against frozen.
#
# Needs ./haps with haps-train-torch built: ./mvnw -pl haps-cli,haps-train-torch -am package -DskipTests
# Environment: FOLDS (5), JOBS (parallel runs, 2), FT_EPOCHS (6), EXTRA (more haps train flags),
# HAPS (the command, default ./haps of this checkout).
set -euo pipefail
DATA=$(cd "$1" && pwd)
OUT=$2
shift 2
CONFIGS=${*:-frozen N1 N2}
FOLDS=${FOLDS:-5}
JOBS=${JOBS:-2}
FT_EPOCHS=${FT_EPOCHS:-6}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HAPS=${HAPS:-$ROOT/haps}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

python3 - "$DATA" "$OUT" "$FOLDS" <<'PY'
import json, os, random, shutil, sys
data, out, folds = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [json.loads(l) for l in open(os.path.join(data, "outcomes.jsonl")) if l.strip()]
pool = [r for r in lines if r["split"] in ("train", "valid")]  # test is never read
ids = sorted(r["id"] for r in pool)
random.Random(25).shuffle(ids)
fold = {q: i % folds for i, q in enumerate(ids)}
for k in range(folds):
    d = os.path.join(out, "data", "fold%d" % k)
    os.makedirs(d, exist_ok=True)
    shutil.copy(os.path.join(data, "candidates.json"), d)
    rest = [q for q in ids if fold[q] != k]
    rng = random.Random(1000 + k)
    valid = set(rng.sample(rest, round(0.15 * len(rest))))
    with open(os.path.join(d, "outcomes.jsonl"), "w") as f:
        for r in pool:
            r = dict(r)
            r["split"] = "test" if fold[r["id"]] == k else ("valid" if r["id"] in valid else "train")
            f.write(json.dumps(r) + "\n")
PY

run() {  # config fold
  local cfg=$1 k=$2 flags=()
  [ "$cfg" != frozen ] && flags=(--fine-tune-layers "${cfg#N}" --fine-tune-epochs "$FT_EPOCHS")
  local b="$OUT/bundles/$cfg-$k" log="$OUT/logs/$cfg-$k.log"
  mkdir -p "$OUT/bundles" "$OUT/logs" "$OUT/reports"
  [ -f "$OUT/done/$cfg-$k" ] && return 0
  /usr/bin/time -f "TIME wall %e user %U sys %S" $HAPS train --data "$OUT/data/fold$k" \
    --out "$b" --cache-dir "$OUT/cache" ${EXTRA:-} "${flags[@]}" > "$log" 2>&1
  $HAPS eval --data "$OUT/data/fold$k" --bundle "$b" --report "$OUT/reports/$cfg-$k" \
    --baselines best-fixed --quiet >> "$log" 2>&1
  mkdir -p "$OUT/done" && touch "$OUT/done/$cfg-$k"
}
export -f run
export OUT FT_EPOCHS HAPS EXTRA
for k in $(seq 0 $((FOLDS - 1))); do for c in $CONFIGS; do echo "$c $k"; done; done \
  | xargs -P "$JOBS" -n 2 bash -c 'run "$0" "$1"'

python3 - "$OUT" "$FOLDS" $CONFIGS <<'PY'
import json, os, re, statistics as st, sys
out, folds, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows, gap = [], {}
for c in configs:
    for k in range(folds):
        rep = json.load(open(os.path.join(out, "reports", "%s-%d" % (c, k), "report.json")))
        g = next(r for r in rep["routers"] if r["name"] == "haps")["gap_closed"]
        t = re.search(r"TIME wall (\S+) user (\S+) sys (\S+)", open(os.path.join(out, "logs", "%s-%d.log" % (c, k))).read())
        gap[c, k] = g
        rows.append((c, k, g, float(t.group(1)), float(t.group(2)) + float(t.group(3))))
with open(os.path.join(out, "results.tsv"), "w") as f:
    f.write("config\tfold\tgap_closed\twall_s\tcpu_s\n")
    for r in rows:
        f.write("%s\t%d\t%.4f\t%.0f\t%.0f\n" % r)
for c in configs:
    g = [gap[c, k] for k in range(folds)]
    cpu = [r[4] for r in rows if r[0] == c]
    wall = [r[3] for r in rows if r[0] == c]
    line = "%-7s gap closed %.4f ± %.4f (folds %s); train+eval per fold: wall %.0f s, CPU %.0f s" % (
        c, st.mean(g), st.stdev(g), " ".join("%.3f" % x for x in g), st.mean(wall), st.mean(cpu))
    if c != "frozen" and "frozen" in configs:
        d = [gap[c, k] - gap["frozen", k] for k in range(folds)]
        line += "; paired difference %+.4f ± %.4f (%s)" % (st.mean(d), st.stdev(d), " ".join("%+.3f" % x for x in d))
    print(line)
PY
