#!/usr/bin/env bash
# Test runner (`make test`): every build/tests/test_* binary (cmocka unit and
# BPF tests, TAP output), then every tests/e2e/test_*.sh, each under a timeout.
#
# Counting: a line "ok ..." is a pass, "not ok ..." a failure, either with a
# "# SKIP" directive a skip. An executable that exits non-zero (not 77)
# without any "not ok" line is one failure; exit 77 skips it ("# SKIP reason"
# gives the reason). Output is shown, indented, only for what failed. The last
# line is "N passed, N failed[, N skipped]"; exit 1 if anything failed or
# nothing passed or failed at all.
#
# Environment: TESTS=REGEX runs only the tests whose name matches (bash =~,
# e.g. TESTS=harness or TESTS='^test_cli|selftest'); BN_BUILD (default
# <repo>/build); UNIT_TIMEOUT (60 s), E2E_TIMEOUT (300 s).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export BN_BUILD=${BN_BUILD:-$ROOT/build}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-60}
E2E_TIMEOUT=${E2E_TIMEOUT:-300}
PATTERN=${TESTS:-}

PASSED=0
FAILED=0
SKIPPED=0
OUT=$(mktemp /tmp/bn-run.XXXXXX) || exit 1
trap 'rm -f "$OUT"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

selected() {
	[ -z "$PATTERN" ] || [[ $1 =~ $PATTERN ]]
}

show_output() {
	sed 's/^/    /' "$OUT"
}

# run_one NAME TIMEOUT CMD...: run, count, print the one-line summary.
run_one() {
	local name=$1 limit=$2 rc ok notok skips reason
	shift 2
	# -k: a test that ignores SIGTERM (or leaves a child) is killed 10 s later.
	timeout -k 10 "$limit" "$@" >"$OUT" 2>&1 </dev/null
	rc=$?
	skips=$(grep -cE '^(not )?ok\b.*#[[:space:]]*SKIP' "$OUT")
	ok=$(grep -E '^ok\b' "$OUT" | grep -cvE '#[[:space:]]*SKIP')
	notok=$(grep -E '^not ok\b' "$OUT" | grep -cvE '#[[:space:]]*SKIP')

	PASSED=$((PASSED + ok))
	FAILED=$((FAILED + notok))
	SKIPPED=$((SKIPPED + skips))
	if [ "$notok" -gt 0 ] || { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; }; then
		if [ "$notok" -eq 0 ]; then
			FAILED=$((FAILED + 1))
		fi
		case $rc in
		124 | 137) echo "FAIL $name (timed out after $limit s)" ;;
		*) echo "FAIL $name (exit $rc)" ;;
		esac
		show_output
	elif [ "$rc" -eq 77 ]; then
		SKIPPED=$((SKIPPED + 1))
		reason=$(sed -n 's/^#[[:space:]]*SKIP[[:space:]:-]*//p' "$OUT" | tail -n 1)
		echo "SKIP $name: ${reason:-no reason given}"
	else
		# An executable that passes without any TAP line is one pass.
		if [ "$ok" -eq 0 ] && [ "$skips" -eq 0 ]; then
			ok=1
			PASSED=$((PASSED + 1))
		fi
		if [ "$skips" -gt 0 ]; then
			echo "PASS $name ($ok, $skips skipped)"
		else
			echo "PASS $name ($ok)"
		fi
	fi
}

main() {
	local t name

	for t in "$BN_BUILD"/tests/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=$(basename "$t")
		selected "$name" || continue
		run_one "$name" "$UNIT_TIMEOUT" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
	for t in "$ROOT"/tests/e2e/test_*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		selected "$name" || continue
		run_one "$name" "$E2E_TIMEOUT" bash "$t"
	done

	if [ "$SKIPPED" -gt 0 ]; then
		echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	else
		echo "$PASSED passed, $FAILED failed"
	fi
	[ "$FAILED" -eq 0 ] && [ $((PASSED + FAILED)) -gt 0 ]
}

main
