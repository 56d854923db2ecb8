#!/usr/bin/env bash
# The speedup of `hmc test --parallel N` on this machine, and the machine's own ceiling for the same campaign.
#
#   stress/parallel-speedup.sh [ROUNDS] [-- hmc test options]     (default: 3 rounds of the default campaign, --seed 7)
#
# Each round runs, one after another on the otherwise idle machine:
#   serial    hmc test --parallel 1
#   parallel  hmc test --parallel N          (N = nproc)
#   one-cpu   hmc test --parallel 1, the whole process kept on CPU 0 (taskset)
#   shards    the campaign's N shards (--shard K/N --parallel 1) at once as N processes, shard K kept on CPU K-1
# and prints the wall times and two ratios: serial/parallel (the tool's speedup) and one-cpu/shards, what N
# processes that share nothing get from N CPUs here for exactly this work: the ceiling any --parallel can reach on
# this machine (on a VM whose vCPUs slow each other down it is well under N). Medians over the rounds at the end.
# Runs the Release build (built first when missing). Nothing is asserted: it measures; see docs/scale-out.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
opts=("$@")
[ ${#opts[@]} -gt 0 ] || opts=(--seed 7)
case "$rounds" in ''|*[!0-9]*|0) echo "parallel-speedup: ROUNDS must be a positive number, got '$rounds'" >&2; exit 2 ;; esac
command -v taskset >/dev/null || { echo "parallel-speedup: needs taskset (util-linux)" >&2; exit 2; }
dll=src/Cli/bin/Release/net10.0/HighMemConcurrency.Cli.dll
[ -f "$dll" ] || dotnet build -c Release src/Cli >/dev/null
n=$(nproc)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Wall seconds of a command line; a failing run stops the measurement (its figures would mean nothing).
wall() {
  local start end
  start=$(date +%s.%N)
  if ! bash -c "$1" >"$out/log" 2>&1; then echo "parallel-speedup: failed: $1" >&2; tail -5 "$out/log" >&2; exit 3; fi
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

hmc="dotnet $dll test ${opts[*]}"
shards=""
for k in $(seq 1 "$n"); do shards+="taskset -c $((k - 1)) $hmc --parallel 1 --shard $k/$n --out $out/s$k & "; done
shards+="wait"

echo "parallel-speedup: $rounds round(s) of \`hmc test ${opts[*]}\` on $n CPUs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
speedups=() ceilings=()
for r in $(seq 1 "$rounds"); do
  serial=$(wall "$hmc --parallel 1 --out $out/a")
  parallel=$(wall "$hmc --parallel $n --out $out/b")
  onecpu=$(wall "taskset -c 0 $hmc --parallel 1 --out $out/c")
  sharded=$(wall "$shards")
  speedup=$(echo "$serial / $parallel" | bc -l)
  ceiling=$(echo "$onecpu / $sharded" | bc -l)
  speedups+=("$speedup") ceilings+=("$ceiling")
  printf 'round %d: serial %.1f s, --parallel %d %.1f s (%.2fx); one CPU %.1f s, %d shards on %d CPUs %.1f s (ceiling %.2fx); load %s\n' \
    "$r" "$serial" "$n" "$parallel" "$speedup" "$onecpu" "$n" "$n" "$sharded" "$ceiling" "$(cut -d' ' -f1 /proc/loadavg)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f", NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median: --parallel $n speedup $(median "${speedups[@]}")x, machine ceiling $(median "${ceilings[@]}")x"
