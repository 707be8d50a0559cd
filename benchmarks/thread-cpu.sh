#!/usr/bin/env bash
# Runs transient_100b (or $SCENARIO) once and prints, per busy thread of the sender and receiver JVMs, the CPU time
# spent per delivered message (user + system) over a window in the middle of the measured run.
# Usage: benchmarks/thread-cpu.sh [extra benchmarks.jar options, e.g. --child-jvm-option -D...]
set -euo pipefail
jar="${BENCH_JAR:-$(dirname "$0")/target/benchmarks.jar}"
out=$(mktemp)
java -jar "$jar" --scenario "${SCENARIO:-transient_100b}" --seconds 10 --skip-baselines "$@" >"$out" 2>&1 &
runner=$!
sleep 6
snapshot() {
  for pid in $(pgrep -f "smq-send|smq-recv"); do
    role=$(tr '\0' ' ' </proc/"$pid"/cmdline | grep -o 'smq-[a-z]*' | head -1)
    for task in /proc/"$pid"/task/*; do
      [ -r "$task/stat" ] || continue
      # fields after the command name: utime is the 12th, stime the 13th
      echo "$role/$(basename "$task") $(tr ' ' '_' <"$task/comm") $(sed 's/.*) //' "$task/stat" | awk '{print $12, $13}')"
    done
  done | LC_ALL=C sort
}
before=$(snapshot); sleep 4; after=$(snapshot)
wait "$runner"
rate=$(grep -o 'smq-recv: [0-9]*' "$out" | grep -o '[0-9]*$')
rm -f "$out"
echo "${SCENARIO:-transient_100b}: $rate msg/s"
LC_ALL=C join <(echo "$before") <(echo "$after") | awk -v rate="$rate" -v hz="$(getconf CLK_TCK)" '
  { user = $6 - $3; sys = $7 - $4
    if (user + sys > 2) { split($1, id, "/")
      printf "  %-9s %-18s %5.0f ns/msg (user %4.0f, system %4.0f)\n", id[1], $2,
        (user + sys) * 1e9 / hz / 4 / rate, user * 1e9 / hz / 4 / rate, sys * 1e9 / hz / 4 / rate } }' | sort
