#!/usr/bin/env bash
# The encoder and batch benchmarks on a CUDA GPU: builds target/benchmarks-gpu.jar (-Pgpu swaps
# com.microsoft.onnxruntime:onnxruntime for onnxruntime_gpu, same version 1.23.2) and runs
# encoderOnly, route and routeBatch32 with the default encoder on ExecutionProvider.cuda(0)
# (-Dhaps.bench.provider=cuda:0; the router network itself stays on the CPU by design).
#
#   haps-bench/run-gpu.sh            # device 0
#   HAPS_CUDA_DEVICE=1 haps-bench/run-gpu.sh
#
# Needs Linux x64, an NVIDIA driver, CUDA 12 and cuDNN 9 libraries on the loader path (ONNX
# Runtime 1.23's CUDA build). ONNX Runtime fails the encoder build with a ConfigurationException
# when CUDA cannot be loaded; nothing silently falls back to the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

device="${HAPS_CUDA_DEVICE:-0}"
jar=haps-bench/target/benchmarks-gpu.jar
# shellcheck disable=SC2086
mvn ${MVN_FLAGS:-} -q -pl haps-bench -am install -DskipTests -Pgpu

command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv

results=haps-bench/results
mkdir -p "$results"
stamp=$(date -u +%Y-%m-%dT%H%MZ)-cuda
java -jar "$jar" 'encoderOnly|route$|routeBatch32' -f 1 -wi 2 -w 3s -i 3 -r 5s \
  -jvmArgsAppend "-Dhaps.bench.provider=cuda:$device" -rf json -rff "$results/$stamp.json" "$@"
java -cp "$jar" dev.haps.bench.Report "$results/$stamp.json" --markdown "$results/$stamp.md"
