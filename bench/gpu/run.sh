#!/usr/bin/env bash
# Builds the GPU benchmark to carry, or runs it where it was carried.
#
#   bench/gpu/run.sh publish [--trim]   on a machine with the .NET SDK: publishes a self-contained,
#                                       compressed single-file linux-x64 `aviary` into artifacts/gpu/,
#                                       with this script beside it. Carry that folder (about 40 MB).
#   ./run.sh check [FLAGS...]           on the GPU machine (no .NET needed), in the carried folder: the
#                                       kernel correctness check, then the benchmark. FLAGS go to both
#                                       (e.g. --gpu-device 1, or --gpu-accelerator cpu to try it without a GPU).
#
# `check` exits non-zero when the GPU finds another first nonce than the CPU at difficulty 5 or 6, when
# its difficulty-8 block is refused by BlockValidator, or when no GPU can be used; it runs within a few
# minutes on a GPU (each step is bounded by `timeout`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${1:-check}"
shift || true

case "$mode" in
  publish)
    repo="$(cd "$here/../.." && pwd)"
    out="$repo/artifacts/gpu"
    trim=()
    if [[ "${1:-}" == "--trim" ]]; then
      trim=(-p:PublishTrimmed=true)
    fi
    rm -rf "$out"
    dotnet publish "$repo/src/Aviary.Cli" -c Release -r linux-x64 -o "$out" \
      -p:PublishSingleFile=true -p:SelfContained=true -p:EnableCompressionInSingleFile=true \
      -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none "${trim[@]}"
    cp "$here/run.sh" "$out/run.sh"
    chmod +x "$out/run.sh" "$out/aviary"
    rm -f "$out"/*.pdb "$out"/*.dbg "$out"/*.xml
    ls -l "$out"
    echo "carry $out (aviary: $(du -h "$out/aviary" | cut -f1)); there: ./run.sh check"
    ;;
  check)
    bin="$here/aviary"
    [[ -x "$bin" ]] || { echo "run.sh: no aviary beside this script; publish first (bench/gpu/run.sh publish)" >&2; exit 2; }
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "run.sh: nvidia-smi not found"
    echo "== correctness check"
    check_timeout="${AVIARY_CHECK_TIMEOUT:-240}"
    timeout "$check_timeout" "$bin" bench mining --gpu --check "$@"
    echo "== benchmark"
    timeout 120 "$bin" bench mining --gpu --seconds "${AVIARY_BENCH_SECONDS:-10}" "$@"
    timeout 120 "$bin" bench mining --gpu --seconds "${AVIARY_BENCH_SECONDS:-10}" --json "$@"
    ;;
  *)
    echo "usage: run.sh publish [--trim] | run.sh check [FLAGS...]" >&2
    exit 2
    ;;
esac
