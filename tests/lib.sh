# shellcheck shell=bash
# Harness for end-to-end tests: sourced by tests/e2e/test_*.sh.
#
# Every test builds its own network out of namespaces and veths, may start its
# own private bpfnetd, checks behaviour with the check* assertions (TAP-like
# "ok - ..." / "not ok - ..." lines, counted by tests/run.sh), and ends with
# bn_finish. Everything made through this file is removed on exit, whatever
# the reason (success, failure, set -u error, SIGINT, SIGTERM from timeout).
#
# Names. $BN_P is a short per-test prefix ("bn" + PID). Namespaces and any
# interface created in the ROOT namespace must start with it, so tests can run
# side by side; interface names have at most 15 characters, which leaves 6 or
# more after the prefix. Names inside a test's own namespaces are free.
#
# Acting inside a namespace: `ip netns exec NS ping ...` is fine for traffic,
# but it runs in a private mount namespace with a fresh /sys: never pin BPF
# objects from inside it. bn_nsexec (nsenter --net) keeps the root mount
# namespace and is safe for everything.
#
# Exit codes: 0 all checks passed, 1 a check failed (or setup broke), 77
# skipped (skip REASON).

set -u

BN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BN_BUILD=${BN_BUILD:-$BN_ROOT/build}
BN_TEST=$(basename "${0%.sh}")
BN_P="bn$$"
BN_PIN_DIR=/sys/fs/bpf/$BN_P
T=""			# the test's scratch dir: daemon socket, state, logs

BN_PASS=0
BN_FAIL=0
BN_NETNS=()		# namespaces we made
BN_LINKS=()		# root-namespace interfaces we made
BN_DEFERRED=()		# commands registered with bn_on_cleanup
BN_DAEMON_PID=""
BN_DAEMON_STARTED=""	# set once a daemon was started: its pin dir is ours

# ---- output and assertions -------------------------------------------------

bn_note() { printf '# %s\n' "$*"; }

# Print a file (or stdin) as TAP comments, last 20 lines.
_bn_comment_tail() { tail -n 20 "${1:--}" | sed 's/^/#   /'; }

_bn_ok() {
	BN_PASS=$((BN_PASS + 1))
	printf 'ok - %s\n' "$1"
}

_bn_not_ok() {
	BN_FAIL=$((BN_FAIL + 1))
	printf 'not ok - %s\n' "$1"
}

# check DESC CMD...: passes if CMD exits 0. CMD runs in this shell (so
# functions work); its output is shown only on failure.
check() {
	local desc=$1 rc
	shift
	"$@" >"$T/check.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		_bn_ok "$desc"
	else
		_bn_not_ok "$desc"
		bn_note "  command: $* (exit $rc)"
		_bn_comment_tail "$T/check.out"
	fi
	return "$rc"
}

# check_fail DESC CMD...: passes if CMD exits non-zero.
check_fail() {
	local desc=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		_bn_not_ok "$desc"
		bn_note "  command: $* (exit 0, expected failure)"
		_bn_comment_tail "$T/check.out"
		return 1
	fi
	_bn_ok "$desc"
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then
		_bn_ok "$1"
		return 0
	fi
	_bn_not_ok "$1"
	bn_note "  expected: '$2'"
	bn_note "  actual:   '$3'"
	return 1
}

# check_match DESC REGEX ACTUAL: bash extended regex (=~) over the whole of
# ACTUAL, which may span lines (^ and $ anchor at its start and end).
check_match() {
	if [[ $3 =~ $2 ]]; then
		_bn_ok "$1"
		return 0
	fi
	_bn_not_ok "$1"
	bn_note "  regex:  '$2'"
	bn_note "  actual: '$3'"
	return 1
}

# bn_bail MSG: setup broke, the test cannot go on. Records a failure, exits 1.
bn_bail() {
	_bn_not_ok "$*"
	exit 1
}

# skip REASON: the test cannot run here (missing feature, not root...).
skip() {
	printf '# SKIP %s\n' "$*"
	exit 77
}

bn_finish() {
	bn_note "$BN_TEST: $BN_PASS passed, $BN_FAIL failed"
	if [ $((BN_PASS + BN_FAIL)) -eq 0 ]; then
		bn_note "no checks ran"
		exit 1
	fi
	[ "$BN_FAIL" -eq 0 ] && exit 0
	exit 1
}

# ---- waiting ---------------------------------------------------------------

_bn_now_us() { echo "${EPOCHREALTIME/./}"; }

# poll_until TIMEOUT_S CMD...: run CMD every 50 ms until it exits 0 (return 0)
# or TIMEOUT_S seconds (may be fractional) passed (return 1). Use it instead
# of sleeping: the kernel detaches unpinned links asynchronously, a daemon
# takes a moment to listen, etc. CMD's output goes to $T/poll.out.
poll_until() {
	local deadline
	deadline=$(($(_bn_now_us) + $(awk -v s="$1" 'BEGIN { printf "%d", s * 1e6 }')))
	shift
	while true; do
		"$@" >"${T:-/dev/null}${T:+/poll.out}" 2>&1 && return 0
		[ "$(_bn_now_us)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# ---- topology ----------------------------------------------------------------

_bn_need_prefix() {	# what name
	case $2 in
	"$BN_P"*) ;;
	*) bn_bail "$1 '$2' must start with \$BN_P ($BN_P)" ;;
	esac
}

_bn_ifname_ok() {
	[ "${#1}" -le 15 ] || bn_bail "interface name '$1' longer than 15 characters"
}

# bn_ip NS ARGS...: `ip` in namespace NS ("root" for the root namespace).
bn_ip() {
	local ns=$1
	shift
	if [ "$ns" = root ]; then
		ip "$@"
	else
		ip -n "$ns" "$@"
	fi
}

# bn_nsexec NS CMD...: run CMD with only the network namespace changed
# (the mount namespace stays the root one, so bpffs pins are real).
bn_nsexec() {
	local ns=$1
	shift
	if [ "$ns" = root ]; then
		"$@"
	else
		nsenter --net="/run/netns/$ns" -- "$@"
	fi
}

# bn_netns_add NAME: a new namespace (NAME starts with $BN_P), lo up.
bn_netns_add() {
	_bn_need_prefix namespace "$1"
	ip netns add "$1" || bn_bail "ip netns add $1"
	BN_NETNS+=("$1")
	ip -n "$1" link set lo up || bn_bail "lo up in $1"
}

# bn_veth HOST_NS IFNAME PEER_NS PEER_IF: a veth pair, both ends up.
# Either namespace may be "root"; a root-side name must start with $BN_P.
bn_veth() {
	local ns=$1 ifn=$2 pns=$3 pif=$4 a=() b=()
	_bn_ifname_ok "$ifn"
	_bn_ifname_ok "$pif"
	[ "$ns" = root ] && _bn_need_prefix interface "$ifn"
	[ "$pns" = root ] && _bn_need_prefix interface "$pif"
	[ "$ns" = root ] || a=(netns "$ns")
	[ "$pns" = root ] || b=(netns "$pns")
	ip link add "$ifn" "${a[@]}" type veth peer name "$pif" "${b[@]}" ||
		bn_bail "veth $ns/$ifn - $pns/$pif"
	[ "$ns" = root ] && BN_LINKS+=("$ifn")
	[ "$pns" = root ] && BN_LINKS+=("$pif")
	bn_ip "$ns" link set "$ifn" up && bn_ip "$pns" link set "$pif" up ||
		bn_bail "veth $ns/$ifn - $pns/$pif: link up"
}

# bn_host NS IF ADDR/PFX [MAC]: give IF an address (and a MAC), set it up.
bn_host() {
	local ns=$1 ifn=$2 addr=$3 mac=${4:-}
	if [ -n "$mac" ]; then
		bn_ip "$ns" link set "$ifn" address "$mac" || bn_bail "$ns/$ifn: address $mac"
	fi
	bn_ip "$ns" addr add "$addr" dev "$ifn" || bn_bail "$ns/$ifn: addr $addr"
	bn_ip "$ns" link set "$ifn" up || bn_bail "$ns/$ifn: up"
}

# bn_tcx IF: the tcx programs on IF ("ingress: ID..." / "egress: ID...").
bn_tcx() {
	[ "$(uname -m)" = x86_64 ] || skip "tcx query helper assumes x86_64 syscall numbers"
	python3 "$BN_ROOT/tests/tools/tcx_query.py" "$1"
}

# bn_quiet_host NS ROOT_IF ADDR/PFX MAC: a host in a new netns NS whose eth0
# is a veth to ROOT_IF in the root namespace, with IPv6 off at both ends so
# that no stray packet moves a counter.
bn_quiet_host() {
	local ns=$1 rif=$2 addr=$3 mac=$4
	bn_netns_add "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 || bn_bail "$ns: disable IPv6"
	bn_veth "$ns" eth0 root "$rif"
	sysctl -qw "net.ipv6.conf.$rif.disable_ipv6=1" || bn_bail "$rif: disable IPv6"
	bn_host "$ns" eth0 "$addr" "$mac"
}

# bn_neigh NS IP MAC: a static neighbour on NS's eth0 (no ARP on the wire).
bn_neigh() {
	ip -n "$1" neigh replace "$2" lladdr "$3" dev eth0 nud permanent ||
		bn_bail "$1: neighbour $2"
}

# ---- the daemon and the CLI -------------------------------------------------

bn_cli() { "$BN_BUILD/bpfnet" "$@"; }

# bn_daemon_start [ARGS...]: a private bpfnetd (own socket, pin dir, state
# dir), waited for until `bpfnet cubes` answers. On failure the test stops
# (not ok + the log tail). Calling it again after bn_daemon_stop restarts the
# daemon on the same state and pins.
bn_daemon_start() {
	[ -x "$BN_BUILD/bpfnetd" ] || bn_bail "$BN_BUILD/bpfnetd not built"
	[ -z "$BN_DAEMON_PID" ] || bn_bail "bn_daemon_start: daemon already running"
	mkdir -p "$T/state"
	export BPFNET_SOCKET=$T/sock
	BN_DAEMON_STARTED=1
	# BN_DAEMON_ARGS: for a whole run in another mode (e.g. --tc-hook clsact)
	# shellcheck disable=SC2086
	"$BN_BUILD/bpfnetd" --socket "$T/sock" --pin-dir "$BN_PIN_DIR" \
		--state-dir "$T/state" ${BN_DAEMON_ARGS:-} "$@" >>"$T/daemon.log" 2>&1 &
	BN_DAEMON_PID=$!
	if poll_until 10 _bn_daemon_answers_or_died && ! _bn_pid_gone "$BN_DAEMON_PID"; then
		return 0
	fi
	if _bn_pid_gone "$BN_DAEMON_PID"; then
		wait "$BN_DAEMON_PID"
		_bn_not_ok "bpfnetd starts (it exited with status $?)"
	else
		_bn_not_ok "bpfnetd answers within 10 s"
		bn_note "  last 'bpfnet cubes':"
		_bn_comment_tail "$T/poll.out"
	fi
	BN_DAEMON_PID=""
	bn_note "  daemon log ($T/daemon.log):"
	_bn_comment_tail "$T/daemon.log"
	exit 1
}

# Polling stops when the daemon answers or is gone (no point waiting then).
_bn_daemon_answers_or_died() {
	_bn_pid_gone "$BN_DAEMON_PID" || bn_cli cubes
}

# bn_daemon_stop: SIGTERM, wait up to 10 s (then SIGKILL). Returns the
# daemon's exit status, or 1 if it had to be killed.
bn_daemon_stop() {
	local pid=$BN_DAEMON_PID rc
	[ -n "$pid" ] || return 0
	BN_DAEMON_PID=""
	kill -TERM "$pid" 2>/dev/null
	if ! poll_until 10 _bn_pid_gone "$pid"; then
		bn_note "bpfnetd ($pid) ignored SIGTERM for 10 s: killed"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 1
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	return "$rc"
}

# bn_daemon_kill9: crash the daemon (the data plane must survive it).
bn_daemon_kill9() {
	local pid=$BN_DAEMON_PID
	[ -n "$pid" ] || return 0
	BN_DAEMON_PID=""
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# A child that exited but was not yet reaped still answers kill -0; our own
# children are reaped by wait, so check /proc for a zombie too.
_bn_pid_gone() {
	local st
	kill -0 "$1" 2>/dev/null || return 0
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
	[ "$st" = Z ]
}

# ---- cleanup -------------------------------------------------------------------

# bn_on_cleanup CMD...: run CMD (one string, eval'ed) at cleanup, before the
# harness removes its own things; last registered runs first.
bn_on_cleanup() { BN_DEFERRED+=("$*"); }

# Remove everything this test made. Runs on EXIT (also after INT/TERM);
# safe to call more than once.
bn_cleanup() {
	local rc=$? i
	for ((i = ${#BN_DEFERRED[@]} - 1; i >= 0; i--)); do
		eval "${BN_DEFERRED[i]}" >/dev/null 2>&1
	done
	BN_DEFERRED=()
	bn_daemon_stop >/dev/null 2>&1
	for i in "${BN_LINKS[@]}"; do
		ip link del "$i" 2>/dev/null
	done
	BN_LINKS=()
	for i in "${BN_NETNS[@]}"; do
		ip netns del "$i" 2>/dev/null
	done
	BN_NETNS=()
	# Unpinning detaches what the daemon left attached.
	[ -n "$BN_DAEMON_STARTED" ] && rm -rf "$BN_PIN_DIR" 2>/dev/null
	[ -n "$T" ] && rm -rf "$T"
	T=""
	# A test that fell off its end after a failed check still fails.
	[ "$rc" -eq 0 ] && [ "$BN_FAIL" -gt 0 ] && exit 1
	return "$rc"
}

trap bn_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$(id -u)" -eq 0 ] || skip "needs root (namespaces, BPF)"
T=$(mktemp -d "/tmp/bn-$BN_TEST.$$.XXXXXX") || bn_bail "mktemp"
