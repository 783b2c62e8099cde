#!/usr/bin/env bash
# The browser suite again and again: RUNS times with a CPU hog on one core (stress-ng),
# then RUNS times quiet, each time with twenty rounds of the fast-typing test's forms
# (`make test` runs two). One line a run, then "N of M runs clean"; exits non-zero unless
# every run passed. Logs go to test-artifacts/soak/. `make test-e2e-soak` runs it.
set -u
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
for tool in stress-ng chromium; do
    if ! command -v "$tool" >/dev/null; then
        echo "soak: installing $tool"
        apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null
    fi
done
mkdir -p test-artifacts/soak
clean=0
total=0
for mode in busy quiet; do
    for i in $(seq 1 "$runs"); do
        hog=
        if [ "$mode" = busy ]; then
            stress-ng --cpu 1 --timeout 3600 --quiet &
            hog=$!
        fi
        log=test-artifacts/soak/$mode-$i.log
        start=$(date +%s)
        CI=true E2E_TYPING_ROUNDS=20 .venv/bin/python -m pytest tests/e2e -q -p no:cacheprovider >"$log" 2>&1
        rc=$?
        if [ -n "$hog" ]; then
            kill "$hog"
            wait "$hog" 2>/dev/null
        fi
        total=$((total + 1))
        [ "$rc" -eq 0 ] && clean=$((clean + 1))
        echo "$mode run $i: $(tail -n 1 "$log") ($(($(date +%s) - start)) s)"
    done
done
echo "$clean of $total runs clean"
[ "$clean" -eq "$total" ]
