#!/usr/bin/env bash
# Self-test of tests/lib.sh, no daemon needed: namespaces, veths, addresses,
# the assertions, poll_until, and that cleanup removes everything on every
# way out (explicit call, failure, set -u error, SIGTERM, skip).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

H1=${BN_P}h1
H2=${BN_P}h2

# ---- building a network --------------------------------------------------------

bn_netns_add "$H1"
bn_netns_add "$H2"
bn_veth "$H1" eth0 "$H2" eth0
bn_host "$H1" eth0 10.0.0.1/24
bn_host "$H2" eth0 10.0.0.2/24 02:00:00:00:00:02
bn_veth root "${BN_P}r0" "$H1" eth1

check "ping between two namespaces" ip netns exec "$H1" ping -c 1 -W 2 10.0.0.2
check_fail "ping to an unused address fails" ip netns exec "$H1" ping -c 1 -W 1 10.0.0.3
check_eq "bn_host sets the MAC" 02:00:00:00:00:02 \
	"$(bn_ip "$H2" -br link show dev eth0 | awk '{print $3}')"
check_match "bn_nsexec runs in the namespace" 'inet 10\.0\.0\.1/24' \
	"$(bn_nsexec "$H1" ip -4 addr show dev eth0)"
check "a root-side veth end exists" ip link show dev "${BN_P}r0"

# ---- assertions and polling ------------------------------------------------------

check_eq "check passes on exit 0" 0 "$(check x true >/dev/null; echo $?)"
check_eq "check fails on exit 1" 1 "$(check x false >/dev/null; echo $?)"
check_eq "check_fail fails on exit 0" 1 "$(check_fail x true >/dev/null; echo $?)"
check_eq "check_match fails on no match" 1 "$(check_match x '^a$' b >/dev/null; echo $?)"
check_match "a failing check prints not ok and the command output" \
	$'^not ok - x\n.*command: sh -c echo hello; exit 3 \\(exit 3\\)\n.*hello' \
	"$(check x sh -c 'echo hello; exit 3')"

(sleep 0.2 && touch "$T/flag") &
check "poll_until sees a condition become true" poll_until 5 test -e "$T/flag"
wait $!
t0=${EPOCHREALTIME/./}
check_fail "poll_until gives up when the condition stays false" poll_until 0.3 false
t1=${EPOCHREALTIME/./}
check "poll_until honours its timeout (0.3 s, took $(((t1 - t0) / 1000)) ms)" \
	test $((t1 - t0)) -ge 300000 -a $((t1 - t0)) -lt 2000000

# ---- cleanup -------------------------------------------------------------------

# Explicit cleanup in a subshell with its own scratch dir and records.
(
	T=$(mktemp -d "$T/sub.XXXXXX")
	BN_NETNS=() BN_LINKS=() BN_DEFERRED=()
	bn_netns_add "${BN_P}s1"
	bn_veth root "${BN_P}s0" "${BN_P}s1" eth0
	bn_on_cleanup "touch '$T/../deferred-ran'"
	bn_cleanup
)
check_fail "subshell cleanup removed its namespace" test -e "/run/netns/${BN_P}s1"
check_fail "subshell cleanup removed its root link" ip link show dev "${BN_P}s0"
check "subshell cleanup ran the deferred command" test -e "$T/deferred-ran"
check "subshell cleanup left the parent's namespaces" test -e "/run/netns/$H1"

# child SCRIPT: a separate bash that sources lib.sh, builds a namespace and a
# root link, prints its prefix and scratch dir, then runs SCRIPT.
# Sets CHILD_RC, CHILD_OUT, CHILD_P, CHILD_T.
child() {
	CHILD_OUT=$(bash -c '. "$0"
		bn_netns_add "${BN_P}c1"
		bn_veth root "${BN_P}c0" "${BN_P}c1" eth0
		echo "P=$BN_P T=$T"
		'"$1" "$BN_ROOT/tests/lib.sh" 2>&1)
	CHILD_RC=$?
	CHILD_P=$(sed -n 's/^P=\([^ ]*\) .*/\1/p' <<<"$CHILD_OUT")
	CHILD_T=$(sed -n 's/^P=.* T=//p' <<<"$CHILD_OUT")
}

# child_clean WHY: the child left nothing behind.
child_clean() {
	[ -n "$CHILD_P" ] && [ -n "$CHILD_T" ] || return 1
	[ ! -e "/run/netns/${CHILD_P}c1" ] && ! ip link show dev "${CHILD_P}c0" >/dev/null 2>&1 &&
		[ ! -e "$CHILD_T" ]
}

child_case() {	# DESC EXIT_STATUS_REGEX SCRIPT
	child "$3"
	check_match "$1: exit status" "^($2)\$" "$CHILD_RC" ||
		printf '%s\n' "$CHILD_OUT" | sed 's/^/#   /'
	check "$1: everything removed" child_clean
}

child_case "passing test" 0 'check pass true; bn_finish'
child_case "failing check" 1 'check_eq fail a b; bn_finish'
child_case "failed check, no bn_finish" 1 'check_eq fail a b'
child_case "set -u error" '1|127' 'echo "$UNDEFINED_VARIABLE"; bn_finish'
child_case "SIGTERM" 143 'kill -TERM $$; sleep 5; bn_finish'
child_case "skip" 77 'skip "not here"'
check_match "skip prints the reason" $'(^|\n)# SKIP not here(\n|$)' "$CHILD_OUT"

bn_finish
