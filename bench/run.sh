#!/usr/bin/env bash
# Packet-rate benchmark (`make bench`). How and why: shared/BENCH.md.
#
# Path per configuration: generator (netns src) -> veth -> device under test
# (the ROOT netns, where bpfnetd also runs) -> veth -> sink (netns snk, an XDP
# program that counts and drops). 64-byte UDP frames from the XDP live-frames
# generator (build/bench/pktgen gen) pinned to CPU 0; the sink is sampled
# from CPU 1. Every configuration gets its own namespaces and veths, built
# once; the repeats are interleaved (rep 1 of every configuration, then rep
# 2, ...) so drift shows as spread, not bias.
#
# It reports; it never asserts a time. Exit 0 unless the infrastructure itself
# broke (a baseline could not be set up or measured). A bpfnet configuration
# that cannot be set up prints "n/a (reason)".
#
# Environment: BENCH_SECONDS (sample length, default 2), BENCH_REPEATS
# (default 3), BENCH_WARMUP (default 0.5), BENCH_CONFIGS (subset, space
# separated), BN_BUILD (default <repo>/build).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=${BN_BUILD:-$ROOT/build}
PKTGEN=$B/bench/pktgen
SAMPLE=${BENCH_SECONDS:-2}
REPEATS=${BENCH_REPEATS:-3}
WARMUP=${BENCH_WARMUP:-0.5}
ALL_CONFIGS="direct kernel-fwd bare-xdp-redirect bare-tc-redirect bpfnet-sf-xdp bpfnet-sf-tc bpfnet-chain3-xdp"
CONFIGS=${BENCH_CONFIGS:-$ALL_CONFIGS}

ID=$$
PIN=/sys/fs/bpf/bnb-$ID-bench	# our own pins (sinks, bare programs)
DPIN=/sys/fs/bpf/bnb-$ID	# the private daemon's pin dir
NET=$((ID % 250 + 1))		# third octet: parallel runs do not share subnets
SRC_IP=198.18.$NET.2
DST_IP=198.19.$NET.2
D=""				# scratch dir (daemon socket, state, logs)

# What cleanup must undo.
NETNS_MADE=()
LINKS_MADE=()
DAEMON_PID=""
GEN_PID=""

declare -A TAG NA DSTMAC RATES
TAG=([direct]=d [kernel-fwd]=k [bare-xdp-redirect]=x [bare-tc-redirect]=t
     [bpfnet-sf-xdp]=sx [bpfnet-sf-tc]=st [bpfnet-chain3-xdp]=c3)

log() { echo "bench: $*" >&2; }

cleanup() {
	local ns l
	trap - EXIT INT TERM
	if [ -n "$GEN_PID" ]; then
		kill "$GEN_PID" 2>/dev/null
		wait "$GEN_PID" 2>/dev/null
	fi
	daemon_stop
	for l in "${LINKS_MADE[@]}"; do
		ip link del "$l" 2>/dev/null
	done
	for ns in "${NETNS_MADE[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	# Unpinning detaches what is left (links detach asynchronously).
	rm -rf "$PIN" "$DPIN" 2>/dev/null
	[ -n "$D" ] && rm -rf "$D"
}

die() {
	log "$*"
	exit 1
}

# ifname TAG SIDE: the DUT's veth ends in the root netns (max 15 chars).
ifname() { echo "bnb$ID$1$2"; }
nsname() { echo "bnb-$ID-$1-$2"; }
mac_of() { ip ${2:+-n "$2"} -br link show dev "$1" | awk '{print $3}'; }

# Run CMD quietly; on failure put its last line of output in $REASON.
REASON=""
try() {
	local out
	if out=$("$@" 2>&1); then
		return 0
	fi
	REASON=$(printf '%s\n' "$out" | grep -v '^$' | tail -n 1)
	REASON=${REASON:-"$1 failed"}
	return 1
}

prepare_link() {	# [netns] ifname: up, no IPv6 chatter to disturb counts
	local ns=$1 dev=$2 nsarg=()
	[ -n "$ns" ] && nsarg=(-n "$ns")
	ip "${nsarg[@]}" link set dev "$dev" up || return 1
	if [ -n "$ns" ]; then
		ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
	else
		sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
	fi
}

# veth_pair A_NS A_IF B_NS B_IF (empty NS = root)
veth_pair() {
	local ans=$1 aif=$2 bns=$3 bif=$4
	ip link add "$aif" ${ans:+netns "$ans"} type veth peer name "$bif" ${bns:+netns "$bns"} ||
		return 1
	[ -z "$ans" ] && LINKS_MADE+=("$aif")
	[ -z "$bns" ] && LINKS_MADE+=("$bif")
	prepare_link "$ans" "$aif" && prepare_link "$bns" "$bif"
}

# ---- the private daemon for the bpfnet configurations ----

daemon_start() {
	local i
	[ -x "$B/bpfnetd" ] || { REASON="$B/bpfnetd not built"; return 1; }
	[ -x "$B/bpfnet" ] || { REASON="$B/bpfnet not built"; return 1; }
	mkdir -p "$D/state"
	"$B/bpfnetd" --socket "$D/sock" --pin-dir "$DPIN" --state-dir "$D/state" \
		>"$D/daemon.log" 2>&1 &
	DAEMON_PID=$!
	export BPFNET_SOCKET=$D/sock
	for ((i = 0; i < 100; i++)); do
		"$B/bpfnet" cubes >/dev/null 2>&1 && return 0
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	REASON="daemon did not answer: $(tail -n 1 "$D/daemon.log" 2>/dev/null)"
	return 1
}

daemon_stop() {
	local i
	[ -n "$DAEMON_PID" ] || return 0
	kill -TERM "$DAEMON_PID" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=""
}

DAEMON_TRIED=""
DAEMON_REASON=""
setup_bpfnet() {	# cube type a b
	local cube=$1 type=$2 a=$3 b=$4
	if [ -z "$DAEMON_TRIED" ]; then
		DAEMON_TRIED=1
		daemon_start || DAEMON_REASON=$REASON
	fi
	[ -z "$DAEMON_REASON" ] || { REASON=$DAEMON_REASON; return 1; }
	try "$B/bpfnet" simpleforwarder add "$cube" type="$type" &&
		try "$B/bpfnet" "$cube" ports add p1 peer="$a" &&
		try "$B/bpfnet" "$cube" ports add p2 peer="$b" &&
		try "$B/bpfnet" "$cube" actions add p1 action=FORWARD outport=p2
}

# ---- topologies ----

# setup CONFIG: build its namespaces and DUT; sets NA[config] on failure.
setup() {
	local c=$1 t=${TAG[$1]} src snk a b rx
	src=$(nsname "$t" src)
	snk=$(nsname "$t" snk)
	a=$(ifname "$t" a)
	b=$(ifname "$t" b)
	ip netns add "$src" && NETNS_MADE+=("$src") &&
		ip netns add "$snk" && NETNS_MADE+=("$snk") ||
		die "cannot create namespaces for $c"

	if [ "$c" = direct ]; then
		veth_pair "$src" s0 "$snk" k0 || die "cannot create veths for $c"
		rx=$(mac_of k0 "$snk")
	else
		veth_pair "$src" s0 "" "$a" && veth_pair "$snk" k0 "" "$b" ||
			die "cannot create veths for $c"
		rx=$(mac_of "$a")
		# The generator's frames need NAPI on the receiving veth end.
		ethtool -K "$a" gro on >/dev/null 2>&1 || die "cannot enable GRO on $a"
	fi
	DSTMAC[$c]=$rx
	try "$PKTGEN" sink-attach --ifname k0 --netns "/run/netns/$snk" --pin "$PIN/$t-sink" ||
		die "$c: sink-attach: $REASON"

	case $c in
	direct) ;;
	kernel-fwd)
		# Forwarding on the two DUT veths only: IPv4 forwarding is decided
		# by the ingress device's conf (IN_DEV_FORWARD), not ip_forward.
		try ip addr add "198.18.$NET.1/24" dev "$a" &&
			try ip addr add "198.19.$NET.1/24" dev "$b" &&
			try sysctl -qw "net.ipv4.conf.$a.forwarding=1" &&
			try sysctl -qw "net.ipv4.conf.$b.forwarding=1" &&
			try ip neigh replace "$DST_IP" lladdr "$(mac_of k0 "$snk")" dev "$b" nud permanent
		;;
	bare-xdp-redirect)
		try "$PKTGEN" bare-attach --mode xdp --ifname "$a" --out "$b" --pin "$PIN/$t-dut" ;;
	bare-tc-redirect)
		try "$PKTGEN" bare-attach --mode tc --ifname "$a" --out "$b" --pin "$PIN/$t-dut" ;;
	bpfnet-sf-xdp)
		setup_bpfnet "bnb${t}" XDP_DRV "$a" "$b" ;;
	bpfnet-sf-tc)
		setup_bpfnet "bnb${t}" TC "$a" "$b" ;;
	bpfnet-chain3-xdp)
		# the same forwarder with a transparent cube on each side: 3 programs
		setup_bpfnet "bnb${t}" XDP_DRV "$a" "$b" &&
			try "$B/bpfnet" transparenthelloworld add "bnb${t}i" type=XDP_DRV &&
			try "$B/bpfnet" transparenthelloworld add "bnb${t}o" type=XDP_DRV &&
			try "$B/bpfnet" attach "bnb${t}i" "$a" &&
			try "$B/bpfnet" attach "bnb${t}o" "bnb${t}:p2" ;;
	esac || NA[$c]=$REASON
}

# measure CONFIG: one sample; appends kpps to RATES[config].
measure() {
	local c=$1 t=${TAG[$1]} pps rc
	taskset -c 0 "$PKTGEN" gen --ifname s0 --netns "/run/netns/$(nsname "$t" src)" \
		--cpu 0 --seconds "$(awk "BEGIN{print $WARMUP + $SAMPLE + 5}")" \
		--dst-mac "${DSTMAC[$c]}" --src-ip "$SRC_IP" --dst-ip "$DST_IP" \
		2>>"$D/gen.log" &
	GEN_PID=$!
	pps=$(taskset -c 1 "$PKTGEN" sink-rate --pin "$PIN/$t-sink" \
		--seconds "$SAMPLE" --warmup "$WARMUP")
	kill -TERM "$GEN_PID" 2>/dev/null
	wait "$GEN_PID" 2>/dev/null	# pktgen exits 0 on SIGTERM
	rc=$?
	GEN_PID=""
	[ "$rc" -eq 0 ] || die "$c: generator failed: $(tail -n 1 "$D/gen.log")"
	[ -n "$pps" ] || die "$c: cannot read the sink"
	RATES[$c]="${RATES[$c]:-} $(awk "BEGIN{printf \"%.0f\", $pps / 1000}")"
}

# ---- report ----

# stats "r1 r2 ...": prints "min median max"
stats() {
	# shellcheck disable=SC2086 # split the list on purpose
	printf '%s\n' $1 | sort -n | awk '{v[NR] = $1}
		END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		     printf "%d %d %d\n", v[1], m, v[NR]}'
}

median() { stats "$1" | awk '{print $2}'; }

baseline_of() {
	case $1 in
	bpfnet-sf-xdp) echo bare-xdp-redirect ;;
	bpfnet-sf-tc) echo bare-tc-redirect ;;
	bpfnet-chain3-xdp) echo bpfnet-sf-xdp ;;
	*) echo "" ;;
	esac
}

ratio() {	# config baseline: "1.23x" or "-"
	local m b
	[ -n "${RATES[$1]:-}" ] && [ -n "${RATES[$2]:-}" ] || { echo "-"; return; }
	m=$(median "${RATES[$1]}")
	b=$(median "${RATES[$2]}")
	awk "BEGIN{ if ($b > 0) printf \"%.2fx\", $m / $b; else print \"-\" }"
}

report() {
	local c base mn md mx ns direct=""
	[ -n "${RATES[direct]:-}" ] && direct=$(median "${RATES[direct]}")
	printf '\n%-20s %8s %8s %8s %12s %22s %s\n' configuration "min" median "max" \
		"vs kern-fwd" "vs its baseline" "ns/pkt in DUT"
	for c in $CONFIGS; do
		if [ -n "${NA[$c]:-}" ]; then
			printf '%-20s n/a (%s)\n' "$c" "${NA[$c]}"
			continue
		fi
		read -r mn md mx <<<"$(stats "${RATES[$c]}")"
		base=$(baseline_of "$c")
		ns="-"
		if [ "$md" -eq 0 ]; then
			ns="no packets reached the sink"
		elif [ -n "$direct" ] && [ "$c" != direct ]; then
			ns=$(awk "BEGIN{printf \"%.0f\", 1e6 / $md - 1e6 / $direct}")
		fi
		printf '%-20s %8d %8d %8d %12s %22s %s\n' "$c" "$mn" "$md" "$mx" \
			"$(ratio "$c" kernel-fwd)" \
			"${base:+$(ratio "$c" "$base") $base}" "$ns"
	done
	printf '(kpps over %d repeats of %s s; 64-byte UDP frames; ns/pkt = 1e9/pps - 1e9/direct)\n' \
		"$REPEATS" "$SAMPLE"
	if [ -n "${RATES[bpfnet-chain3-xdp]:-}" ] && [ -n "${RATES[bpfnet-sf-xdp]:-}" ]; then
		printf 'cost per extra cube in a chain (XDP): %s ns\n' "$(awk "BEGIN{printf \"%.1f\", \
			(1e6 / $(median "${RATES[bpfnet-chain3-xdp]}") - 1e6 / $(median "${RATES[bpfnet-sf-xdp]}")) / 2}")"
	fi
}

main() {
	local c r

	[ "$(id -u)" -eq 0 ] || die "needs root"
	[ -x "$PKTGEN" ] || die "$PKTGEN missing: run make first"
	for c in ip ethtool taskset awk; do
		command -v "$c" >/dev/null || die "$c not installed"
	done
	for c in $CONFIGS; do
		[ -n "${TAG[$c]:-}" ] || die "unknown configuration $c (known: $ALL_CONFIGS)"
	done

	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	D=$(mktemp -d "/tmp/bnb-$ID.XXXXXX") || die "mktemp failed"

	log "setting up: $CONFIGS"
	for c in $CONFIGS; do
		setup "$c"
	done
	log "measuring: $REPEATS repeats x ${SAMPLE} s (+${WARMUP} s warm-up) each"
	for ((r = 1; r <= REPEATS; r++)); do
		for c in $CONFIGS; do
			[ -n "${NA[$c]:-}" ] || measure "$c"
		done
	done
	report

	# A baseline that could not be set up or passed nothing is a broken
	# benchmark; the product's rows only report.
	for c in $CONFIGS; do
		case $c in bpfnet-*) continue ;; esac
		[ -z "${NA[$c]:-}" ] || die "baseline $c could not be set up"
		[ "$(median "${RATES[$c]}")" -gt 0 ] || die "baseline $c passed no packets"
	done
	return 0
}

main "$@"
