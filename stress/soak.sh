#!/usr/bin/env bash
# A soak of `hmc stress`: every bug variant, and the correct model on every scenario a variant names, run RUNS times
# each, one after another; one table of what happened.
#
#   stress/soak.sh [RUNS] [-- hmc stress options]   (default: 20 runs; --duration 10s --watchdog 2s --perturb)
#
# The default perturbs the runs (--perturb: delays and holds at the model's scheduling points, a stutter of the load,
# two tasks per CPU, in phases of 300 ms perturbed and 100 ms free), which is what reaches the variants that need one
# task delayed at a precise point; pass options without --perturb to soak the free-running driver.
#
# Per target it counts the exits — 1 (the run reported a violation or a hang: "found"), 0 (clean), 130 — and
# crashes: any other exit code, or a .NET stack trace on stderr ("   at ..."), which a stress run must never print.
# "to failure" is the median of elapsedSeconds in the summaries of the runs that failed, "<=10s" how many of them
# failed within 10 s. Unless the options give --reproduce-for, a variant's runs search for the failure's schedule
# (--reproduce-for 1m) until one has failed, and then no more (--reproduce-for 0): "trace" is what that one search
# gave (Reproduced: a replayable trace was written). Expected: every variant found
# in (nearly) every run, the correct model never failing, no crash anywhere. Not part of the test suite (it measures,
# it asserts nothing; the default soak takes about (25 + 14) x 20 x 10 s, two hours). Runs the Release build (built
# first when missing). Every unexpected run — a crash, or a failure of the correct model — keeps its output directory
# (summary, hang report, traces) with its stdout and stderr under $SOAK_KEEP (default: soak-failures/, printed when
# used). SOAK_ONLY=REGEX keeps the targets ("VARIANT SCENARIO", variant none for the correct model) it matches.
# Exit 0 when no run crashed and the correct model never failed, 1 otherwise, 2 on bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
opts=("$@")
[ ${#opts[@]} -gt 0 ] || opts=(--duration 10s --watchdog 2s --perturb)
search=1
for o in "${opts[@]}"; do [ "$o" != --reproduce-for ] || search=0; done
case "$runs" in ''|*[!0-9]*|0) echo "soak: RUNS must be a positive number, got '$runs'" >&2; exit 2 ;; esac
command -v python3 >/dev/null || { echo "soak: needs python3 (to read the JSON summaries)" >&2; exit 2; }
dll=src/Cli/bin/Release/net10.0/HighMemConcurrency.Cli.dll
[ -f "$dll" ] || dotnet build -c Release src/Cli >/dev/null
keep=${SOAK_KEEP:-soak-failures}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Keeps the run that just ended (its --out directory, stdout and stderr) as $keep/VARIANT-SCENARIO-runN.
keep_run() {
  local into="$keep/$1-$2-run$3"
  rm -rf "$into" && mkdir -p "$into"
  cp -r "$out/run/." "$into/" 2>/dev/null || true
  cp "$out/stdout" "$out/stderr" "$into/"
  echo "soak: kept in $into" >&2
}

# Targets: "VARIANT SCENARIO" per variant (its first scenario), then "none SCENARIO" per scenario a variant names.
dotnet "$dll" list --json >"$out/list.json"
mapfile -t targets < <(python3 - "$out/list.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
variants = [(v["name"], v["scenarios"][0]) for v in doc["variants"]]
scenarios = []
for v in doc["variants"]:
    for s in v["scenarios"]:
        if s not in scenarios and s != "stack-overflow":   # stack-overflow overflows on purpose: no correct run
            scenarios.append(s)
for name, scenario in variants: print(name, scenario)
for s in scenarios: print("none", s)
EOF
)
if [ -n "${SOAK_ONLY:-}" ]; then   # e.g. SOAK_ONLY='^(nested-kmap|none slot-hog)' re-runs those rows
  mapfile -t targets < <(printf '%s\n' "${targets[@]}" | grep -E -- "$SOAK_ONLY" || true)
  [ ${#targets[@]} -gt 0 ] || { echo "soak: SOAK_ONLY '$SOAK_ONLY' matches no target (\"VARIANT SCENARIO\", variant none for the correct model)" >&2; exit 2; }
fi
echo "soak: ${#targets[@]} targets x $runs runs, hmc stress ${opts[*]}; load at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

printf '%-28s %-20s %5s %5s %5s %5s %6s %12s %6s %-14s\n' variant scenario runs found clean 130 crash "to failure" "<=10s" trace
bad=0
for target in "${targets[@]}"; do
  read -r variant scenario <<<"$target"
  found=0 clean=0 canceled=0 crash=0 trace=-
  : >"$out/times"
  for run in $(seq 1 "$runs"); do
    dir="$out/run"
    rm -rf "$dir"
    rc=0
    reproduce=()
    if [ "$search" -eq 1 ]; then
      if [ "$variant" != none ] && [ "$trace" = - ]; then reproduce=(--reproduce-for 1m); else reproduce=(--reproduce-for 0); fi
    fi
    dotnet "$dll" stress --variant "$variant" --scenario "$scenario" "${opts[@]}" "${reproduce[@]}" --out "$dir" >"$out/stdout" 2>"$out/stderr" || rc=$?
    if grep -q '^   at ' "$out/stderr"; then rc=-1; fi
    case "$rc" in
      0) clean=$((clean + 1)) ;;
      1) found=$((found + 1))
         [ "$variant" != none ] || keep_run "$variant" "$scenario" "$run"
         summary=$(ls "$dir"/*_summary-stress.json)
         python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["elapsedSeconds"])' "$summary" >>"$out/times"
         if [ "${reproduce[*]:-}" = "--reproduce-for 1m" ]; then
           trace=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["reproduction"]; print(r["outcome"] if r else "-")' "$summary")
         fi ;;
      130) canceled=$((canceled + 1)) ;;
      *) crash=$((crash + 1))
         echo "soak: $variant on $scenario, run $run: exit $rc; stderr: $(head -c 300 "$out/stderr" | tr '\n' ' ')" >&2
         keep_run "$variant" "$scenario" "$run" ;;
    esac
  done
  median=$(sort -g "$out/times" | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else printf "%.2f s\n", (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')
  within=$(awk '$1 <= 10 {n++} END {print n + 0}' "$out/times")
  printf '%-28s %-20s %5d %5d %5d %5d %6d %12s %6d %-14s\n' "$variant" "$scenario" "$runs" "$found" "$clean" "$canceled" "$crash" "$median" "$within" "$trace"
  [ "$crash" -eq 0 ] || bad=1
  if [ "$variant" = none ] && [ "$found" -gt 0 ]; then bad=1; fi
done
echo "soak: done; load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exit $bad
