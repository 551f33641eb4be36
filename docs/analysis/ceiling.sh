#!/usr/bin/env bash
# Reproduces the ceiling study in docs/quality.md. Needs a built haps-cli/target/haps.jar,
# ../shared/data, Python 3 with numpy, and Maven (for the two extra encoders' artifacts).
# usage: docs/analysis/ceiling.sh [WORK_DIR, default target/ceiling]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-target/ceiling}
mkdir -p "$work"
jar=haps-cli/target/haps.jar
embed() { java -cp "$jar" docs/analysis/EmbedQueries.java "$@"; }
for a in e5-small-v2-q bge-small-en-v15-q; do
  mvn -q dependency:copy -Dartifact=dev.langchain4j:langchain4j-embeddings-$a:0.36.2 \
      -DoutputDirectory="$work" -Dmdep.overWriteIfNewer=true
  (cd "$work" && unzip -oq "langchain4j-embeddings-$a-0.36.2.jar" '*.onnx' '*tokenizer.json')
done
for bench in routerbench-3task concise-cot; do
  data=../shared/data/$bench
  o=$work/$bench
  embed "$data" "$o-minilm-tail128.f32"
  embed "$data" "$o-minilm-tail64.f32" --max-tokens 64
  embed "$data" "$o-minilm-tail256.f32" --max-tokens 256
  embed "$data" "$o-minilm-head128.f32" --truncation HEAD
  embed "$data" "$o-minilm-lastpara128.f32" --last-paragraph
  embed "$data" "$o-e5-tail128.f32" --model "$work/e5-small-v2-q.onnx" \
      --tokenizer "$work/e5-small-v2-q-tokenizer.json" --prefix "query: "
  embed "$data" "$o-bge-tail128.f32" --model "$work/bge-small-en-v1.5-q.onnx" \
      --tokenizer "$work/bge-small-en-v1.5-q-tokenizer.json"
  python3 docs/analysis/ceiling.py "$data" \
      "all-MiniLM-L6-v2 int8, last 128 tokens (default)=$o-minilm-tail128.f32" \
      "all-MiniLM-L6-v2 int8, last 64 tokens=$o-minilm-tail64.f32" \
      "all-MiniLM-L6-v2 int8, last 256 tokens=$o-minilm-tail256.f32" \
      "all-MiniLM-L6-v2 int8, first 128 tokens=$o-minilm-head128.f32" \
      "all-MiniLM-L6-v2 int8, last paragraph=$o-minilm-lastpara128.f32" \
      "e5-small-v2 int8, last 128 tokens=$o-e5-tail128.f32" \
      "bge-small-en-v1.5 int8 (mean pooled), last 128 tokens=$o-bge-tail128.f32" \
      --extras | tee "$work/$bench.md"
done
