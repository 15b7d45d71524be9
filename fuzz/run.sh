#!/usr/bin/env bash
# Fuzzes the datagram → codec → node-core path with AFL++ and SharpFuzz.
#   bash fuzz/run.sh [SECONDS]      (default 600; findings go to fuzz/findings/, which git ignores)
# Needs Debian's afl++ (apt-get install -y afl++) and the sharpfuzz tool (dotnet tool restore).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
out=fuzz/out
rm -rf "$out"
dotnet publish fuzz/Aviary.Fuzz -c Release -o "$out" --nologo -v quiet
dotnet tool restore >/dev/null
# Every seed must pass before instrumenting (instrumented code only runs under the fuzzer).
dotnet "$out/Aviary.Fuzz.dll" --replay fuzz/corpus >/dev/null
# Instrument our assemblies only (the runtime and System.Text.Json stay as they are).
for assembly in Aviary.Protocol Aviary.Chain Aviary.Node; do
  dotnet sharpfuzz "$out/$assembly.dll"
done
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1
resume=fuzz/corpus
if [ -d fuzz/findings/default/queue ]; then resume=-; fi
afl-fuzz -i "$resume" -o fuzz/findings -t 10000 -m none -V "$seconds" -- dotnet "$out/Aviary.Fuzz.dll"
echo "crashes: $(find fuzz/findings/default/crashes -type f -name 'id:*' 2>/dev/null | wc -l), hangs: $(find fuzz/findings/default/hangs -type f -name 'id:*' 2>/dev/null | wc -l)"
grep -E '^(execs_done|execs_per_sec|run_time|saved_crashes|saved_hangs|corpus_count|bitmap_cvg)' fuzz/findings/default/fuzzer_stats || true
