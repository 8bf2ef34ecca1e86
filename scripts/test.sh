#!/usr/bin/env bash
# Runs every test of WgIsolate. Installs the Debian packages the tests need when missing, builds warning-free,
# runs each test project in turn (privileged ones touch the kernel, so one at a time), and ends with one line
# "N passed, N failed" summed from the TRX results. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh || exit 1

# Privileged tests are opt-in on a laptop and always on here (and in CI): missing prerequisites then fail them.
export WGISOLATE_PRIVILEGED_TESTS=1

results=.test-results
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build WgIsolate.sln -c Release -nologo -v q; then
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
done

sum() { grep -ho "<Counters [^>]*" "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed); failed=$(sum failed)
passed=${passed:-0}; failed=${failed:-0}
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi   # a run that crashed before writing results
if [[ $passed -eq 0 && $failed -eq 0 ]]; then status=1; failed=1; fi
echo "$passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 ]]
