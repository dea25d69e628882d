#!/usr/bin/env bash
# End to end: ports, peers, connect/disconnect, transparent cubes on a netdev
# and on cube ports (positions, ORDER and direction), detach and delete,
# deleting a connected cube, and TCP through the whole chain.
#
#   host A (ns) eth0 ==veth== $VA [th1,th4] -- hw1:p1 [th2] hw1 hw1:p2 [th3]
#       -- hw2:p1 hw2 hw2:p2 -- $VB ==veth== eth0 host B (ns)
#
# Direction rules (POLYCUBE.md 2.7): on a netdev INGRESS = from the wire,
# list[0] first; on a cube port INGRESS = entering the cube, list[N-1] first
# ("first" is nearest the cube). Exact counts need quiet links: static
# neighbours (no ARP) and IPv6 off (no ND/MLD) everywhere.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

A=${BN_P}A B=${BN_P}B		# host namespaces
VA=${BN_P}a VB=${BN_P}b		# root-side veth ends: the cubes' netdevs
IPA=10.71.0.1 IPB=10.71.0.2
MACA=02:71:00:00:00:01 MACB=02:71:00:00:00:02
# Addresses nobody owns, with static neighbours: pings to them travel one
# way only (the far host drops frames that are not for its MAC).
GHOST_B=10.71.0.3 GHOST_B_MAC=02:71:00:00:00:03	# from A, towards B
GHOST_A=10.71.0.4 GHOST_A_MAC=02:71:00:00:00:04	# from B, towards A

bn_quiet_host "$A" "$VA" "$IPA/24" "$MACA"
bn_quiet_host "$B" "$VB" "$IPB/24" "$MACB"
bn_neigh "$A" "$IPB" "$MACB"
bn_neigh "$A" "$GHOST_B" "$GHOST_B_MAC"
bn_neigh "$B" "$IPA" "$MACA"
bn_neigh "$B" "$GHOST_A" "$GHOST_A_MAC"

bn_daemon_start

# ping_ok NS DST: 3 echo requests (0.2 s apart), all answered.
ping_ok() { ip netns exec "$1" ping -q -c 3 -i 0.2 -W 1 "$2"; }
# ping_fail NS DST: 2 echo requests, none answered.
ping_fail() { ! ip netns exec "$1" ping -q -c 2 -i 0.2 -W 1 "$2"; }
# ping3 NS DST: send exactly 3 echo requests, whatever the outcome.
ping3() { ip netns exec "$1" ping -q -c 3 -i 0.2 -W 1 "$2" >/dev/null 2>&1; return 0; }
NL=$'\n'

status() { bn_cli "$1" ports "$2" show status; }
peer() { bn_cli "$1" ports "$2" show peer; }
# link_status: "hw1:p2=UP hw2:p1=UP", the two ends of the hw1-hw2 link
link_status() { echo "hw1:p2=$(status hw1 p2) hw2:p1=$(status hw2 p1)"; }

# ---- (1) standard cubes, ports, connect -------------------------------------

check "create helloworld hw1 (action=forward)" bn_cli helloworld add hw1 action=forward
check "create helloworld hw2 (action=forward)" bn_cli helloworld add hw2 action=forward
check "hw1 ports add p1 peer=$VA" bn_cli hw1 ports add p1 peer="$VA"
check "hw1 ports add p2 (no peer)" bn_cli hw1 ports add p2
check "hw2 ports add p1 (no peer)" bn_cli hw2 ports add p1
check "hw2 ports add p2 peer=$VB" bn_cli hw2 ports add p2 peer="$VB"
check_eq "netdev ports are UP" "UP UP" "$(status hw1 p1) $(status hw2 p2)"
check_eq "unconnected ports are DOWN" "hw1:p2=DOWN hw2:p1=DOWN" "$(link_status)"
check "ping A->B fails before connect" ping_fail "$A" "$IPB"

check "connect hw1:p2 hw2:p1" bn_cli connect hw1:p2 hw2:p1
check_eq "connected: both ports UP" "hw1:p2=UP hw2:p1=UP" "$(link_status)"
check_eq "connected: peers name each other" "hw2:p1 hw1:p2" "$(peer hw1 p2) $(peer hw2 p1)"
check "ping A->B through hw1, hw2" ping_ok "$A" "$IPB"
check "ping B->A through hw2, hw1" ping_ok "$B" "$IPA"

check "helloworld hw3 with port p1" bn_cli helloworld add hw3
bn_cli hw3 ports add p1 >/dev/null
check_fail "connect refuses a port that already has a peer (hw3:p1 hw1:p2)" \
	bn_cli connect hw3:p1 hw1:p2
check_eq "refused connect left hw1:p2 alone" "hw2:p1 UP" "$(peer hw1 p2) $(status hw1 p2)"
check "delete hw3" bn_cli del hw3

check "disconnect hw1:p2 hw2:p1" bn_cli disconnect hw1:p2 hw2:p1
check_eq "disconnected: both ports DOWN" "hw1:p2=DOWN hw2:p1=DOWN" "$(link_status)"
check_eq "disconnected: both peers empty" "[][]" "[$(peer hw1 p2)][$(peer hw2 p1)]"
check "ping A->B fails after disconnect" ping_fail "$A" "$IPB"
check_fail "disconnect of ports that are not connected fails" \
	bn_cli disconnect hw1:p2 hw2:p1

check "reconnect hw1:p2 hw2:p1" bn_cli connect hw1:p2 hw2:p1
check_eq "reconnected: both ports UP" "hw1:p2=UP hw2:p1=UP" "$(link_status)"
check "ping A->B works again after reconnect" ping_ok "$A" "$IPB"

# Half-open: a cube-to-cube link is up only when both ends name each other.
bn_cli disconnect hw1:p2 hw2:p1 >/dev/null
check "set only hw1:p2 peer=hw2:p1" bn_cli hw1 ports p2 set peer=hw2:p1
check_eq "half-open: both ports DOWN" "hw1:p2=DOWN hw2:p1=DOWN" "$(link_status)"
check_eq "half-open: hw1:p2 keeps its peer, hw2:p1 has none" "[hw2:p1][]" \
	"[$(peer hw1 p2)][$(peer hw2 p1)]"
check "half-open: ping A->B fails" ping_fail "$A" "$IPB"
check "set the other side hw2:p1 peer=hw1:p2" bn_cli hw2 ports p1 set peer=hw1:p2
check_eq "both sides set: both ports UP" "hw1:p2=UP hw2:p1=UP" "$(link_status)"
check "both sides set: ping A->B works" ping_ok "$A" "$IPB"
check "setting the same peer again is a no-op" bn_cli hw1 ports p2 set peer=hw2:p1
check_eq "... and the link stays UP" "hw1:p2=UP hw2:p1=UP" "$(link_status)"

# ---- (2) transparent cubes: attach, positions, direction ----------------------

for t in th1 th2 th3 th4; do
	check "create transparenthelloworld $t" bn_cli transparenthelloworld add "$t"
done
check "attach th1 $VA" bn_cli attach th1 "$VA"
check "attach th2 hw1:p1 position=first" bn_cli attach th2 hw1:p1 position=first
check "attach th3 hw1:p2" bn_cli attach th3 hw1:p2
check "attach th4 $VA after=th1" bn_cli attach th4 "$VA" after=th1

topo=$(bn_cli topology show "$VA")
check_match "topology $VA: ingress chain th1 -> th4 -> stack" \
	"(^|$NL)ingress service chain: th1 ---> th4 ---> stack($NL|\$)" "$topo"
check_match "topology $VA: egress chain th4 -> th1 -> stack" \
	"(^|$NL)egress service chain: th4 ---> th1 ---> stack($NL|\$)" "$topo"
check_eq "parents: th1 th2 th3 th4" "$VA hw1:p1 hw1:p2 $VA" \
	"$(bn_cli th1 show parent) $(bn_cli th2 show parent) $(bn_cli th3 show parent) $(bn_cli th4 show parent)"
check_eq "hw1 ports p1 show tcubes" th2 "$(bn_cli hw1 ports p1 show tcubes)"
check_eq "hw1 ports p2 show tcubes" th3 "$(bn_cli hw1 ports p2 show tcubes)"
check_eq "hw1 show -json: tcubes of p1 and p2" '["th2"] ["th3"]' \
	"$(bn_cli hw1 show -json | jq -c '.ports[] | .tcubes' | paste -sd' ')"
check_match "hw1 show: the ports table has a tcubes column" \
	$'(^|\n) name +uuid +status +peer +tcubes\n' "$(bn_cli hw1 show)"
check_match "hw1 show -verbose: p1 row lists th2, p2 row lists th3" \
	$'\n p1 +[0-9a-f-]+ +UP +'"$VA"$' +th2\n p2 +[0-9a-f-]+ +UP +hw2:p1 +th3(\n|$)' \
	"$(bn_cli hw1 show -verbose)"
check_eq "hw2 ports carry no tcubes" "null null" \
	"$(bn_cli hw2 show -json | jq -c '.ports[] | .tcubes' | paste -sd' ')"

declare -A SNAP
TCUBES="th1 th2 th3 th4"
snap() {
	local t
	for t in $TCUBES; do
		SNAP[$t.in]=$(bn_cli "$t" show ingress-pkts)
		SNAP[$t.eg]=$(bn_cli "$t" show egress-pkts)
	done
}
# deltas: "th1 +I/+E th2 ..." since the last snap
deltas() {
	local t out="" i e
	for t in $TCUBES; do
		i=$(bn_cli "$t" show ingress-pkts)
		e=$(bn_cli "$t" show egress-pkts)
		out+="$t +$((i - ${SNAP[$t.in]}))/+$((e - ${SNAP[$t.eg]})) "
	done
	echo "${out% }"
}

check_eq "counters start at 0" "th1 +0/+0 th2 +0/+0 th3 +0/+0 th4 +0/+0" \
	"$(for t in $TCUBES; do SNAP[$t.in]=0 SNAP[$t.eg]=0; done; deltas)"

snap
check "3 pings A->B through th1, th4, th2, th3" ping_ok "$A" "$IPB"
check_eq "round trip: each transparent cube saw 3 in / 3 out" \
	"th1 +3/+3 th2 +3/+3 th3 +3/+3 th4 +3/+3" "$(deltas)"

snap
ping3 "$A" "$GHOST_B"
check_eq "one way A->B: ingress on the netdev (th1, th4) and into hw1 (th2), egress out of hw1 (th3)" \
	"th1 +3/+0 th2 +3/+0 th3 +0/+3 th4 +3/+0" "$(deltas)"

snap
ping3 "$B" "$GHOST_A"
check_eq "one way B->A: ingress into hw1 (th3), egress out of hw1 (th2) and to the wire (th4, th1)" \
	"th1 +0/+3 th2 +0/+3 th3 +3/+0 th4 +0/+3" "$(deltas)"

# ORDER on the netdev: ingress th1 before th4, egress th4 before th1.
bn_cli th1 set ingress-action=drop >/dev/null
snap
ping3 "$A" "$IPB"
check_eq "netdev order: th1 ingress=drop stops A->B before th4" \
	"th1 +3/+0 th2 +0/+0 th3 +0/+0 th4 +0/+0" "$(deltas)"
bn_cli th1 set ingress-action=pass >/dev/null
bn_cli th4 set egress-action=drop >/dev/null
snap
ping3 "$B" "$IPA"
check_eq "netdev order: th4 egress=drop stops B->A before th1" \
	"th1 +0/+0 th2 +0/+3 th3 +3/+0 th4 +0/+3" "$(deltas)"
bn_cli th4 set egress-action=pass >/dev/null

# before=: th6 goes in front of th1 on the netdev.
check "create th6, attach th6 $VA before=th1" \
	sh -c "'$BN_BUILD/bpfnet' transparenthelloworld add th6 && '$BN_BUILD/bpfnet' attach th6 '$VA' before=th1"
check_match "topology $VA after before=th1: th6 -> th1 -> th4" \
	$'ingress service chain: th6 ---> th1 ---> th4 ---> stack\negress service chain: th4 ---> th1 ---> th6 ---> stack' \
	"$(bn_cli topology show "$VA")"
check "ping A->B with th6 in the netdev chain" ping_ok "$A" "$IPB"
check_eq "th6 saw the round trip" "3 3" "$(bn_cli th6 show ingress-pkts) $(bn_cli th6 show egress-pkts)"
check "detach th6 $VA" bn_cli detach th6 "$VA"
check_match "topology $VA after detaching th6" \
	$'ingress service chain: th1 ---> th4 ---> stack\negress service chain: th4 ---> th1 ---> stack' \
	"$(bn_cli topology show "$VA")"
check "delete th6" bn_cli del th6

# ORDER on a cube port (opposite of a netdev): th5 last on hw1:p1 is the
# farthest from hw1: it sees traffic entering hw1 first, leaving hw1 last.
check "create th5, attach th5 hw1:p1 position=last" \
	sh -c "'$BN_BUILD/bpfnet' transparenthelloworld add th5 && '$BN_BUILD/bpfnet' attach th5 hw1:p1 position=last"
check_eq "hw1 ports p1 tcubes: th2 then th5" '["th2","th5"]' \
	"$(bn_cli hw1 ports p1 show -json | jq -c .tcubes)"
TCUBES="th1 th2 th3 th4 th5"
bn_cli th5 set ingress-action=drop >/dev/null
snap
ping3 "$A" "$IPB"
check_eq "port order: th5 (last) ingress=drop stops A->B before th2 (first)" \
	"th1 +3/+0 th2 +0/+0 th3 +0/+0 th4 +3/+0 th5 +3/+0" "$(deltas)"
bn_cli th5 set ingress-action=pass >/dev/null
bn_cli th2 set egress-action=drop >/dev/null
snap
ping3 "$B" "$IPA"
check_eq "port order: th2 (first) egress=drop stops B->A before th5 (last)" \
	"th1 +0/+0 th2 +0/+3 th3 +3/+0 th4 +0/+0 th5 +0/+0" "$(deltas)"
bn_cli th2 set egress-action=pass >/dev/null
check "detach th5 hw1:p1" bn_cli detach th5 hw1:p1
check "delete th5" bn_cli del th5
TCUBES="th1 th2 th3 th4"

# bpfnet appends when no position is given (like iptables -A); Polycube's
# "auto" refuses a non-empty list, which no working script relies on.
bn_cli transparenthelloworld add th7 >/dev/null
check "attach th7 $VA with no position" bn_cli attach th7 "$VA"
check_match "th7 is appended: last before the stack" "th7 ---> stack" \
	"$(bn_cli topology show "$VA")"
check "detach th7" bn_cli detach th7 "$VA"
check_fail "attach after= a cube that is not attached there fails" bn_cli attach th7 "$VA" after=th3
check_eq "th7 stays unattached" "" "$(bn_cli th7 show parent)"
bn_cli del th7 >/dev/null

check_fail "attaching an attached cube again fails" bn_cli attach th1 "$VB"
check_eq "th1 is still on $VA" "$VA" "$(bn_cli th1 show parent)"
check_fail "attaching a standard cube fails" bn_cli attach hw2 "$VB"

# ---- (3) drop per direction ---------------------------------------------------

check "th3 set ingress-action=drop" bn_cli th3 set ingress-action=drop
check "th3 ingress=drop: ping A->B fails" ping_fail "$A" "$IPB"
snap
ping3 "$A" "$IPB"
check_eq "th3 ingress=drop: requests reach B, replies die entering hw1 at th3" \
	"th1 +3/+0 th2 +3/+0 th3 +3/+3 th4 +3/+0" "$(deltas)"
check "th3 set ingress-action=pass egress-action=drop" \
	bn_cli th3 set ingress-action=pass egress-action=drop
check_eq "th3 actions" "pass drop" "$(bn_cli th3 show ingress-action) $(bn_cli th3 show egress-action)"
check "th3 egress=drop: ping A->B fails" ping_fail "$A" "$IPB"
snap
ping3 "$A" "$IPB"
check_eq "th3 egress=drop: requests die leaving hw1 at th3, B never answers" \
	"th1 +3/+0 th2 +3/+0 th3 +0/+3 th4 +3/+0" "$(deltas)"
snap
ping3 "$B" "$IPA"
check_eq "th3 egress=drop: B->A requests reach A, A's replies die at th3" \
	"th1 +3/+3 th2 +3/+3 th3 +3/+3 th4 +3/+3" "$(deltas)"

# ---- (4) detach and delete ------------------------------------------------------

check "detach th3 hw1:p2 (egress=drop)" bn_cli detach th3 hw1:p2
check_eq "th3 parent is empty after detach" "" "$(bn_cli th3 show parent)"
check_eq "hw1:p2 has no tcubes after detach" "null" \
	"$(bn_cli hw1 ports p2 show -json | jq -c .tcubes)"
check "after detach: ping A->B works" ping_ok "$A" "$IPB"
snap
check "ping A->B" ping_ok "$A" "$IPB"
check_eq "after detach: th3 counters stay, the others move" \
	"th1 +3/+3 th2 +3/+3 th3 +0/+0 th4 +3/+3" "$(deltas)"
check_fail "detaching a detached cube fails" bn_cli detach th3 hw1:p2
check_fail "detaching from the wrong point fails" bn_cli detach th1 "$VB"

check "th1 set ingress-action=drop" bn_cli th1 set ingress-action=drop
check "th1 ingress=drop: ping A->B fails" ping_fail "$A" "$IPB"
check "delete th1 while attached" bn_cli del th1
check_match "th1 left the netdev chain" \
	$'ingress service chain: th4 ---> stack\negress service chain: th4 ---> stack' \
	"$(bn_cli topology show "$VA")"
check "after deleting th1: ping A->B works" ping_ok "$A" "$IPB"
TCUBES="th2 th4"
snap
check "ping A->B" ping_ok "$A" "$IPB"
check_eq "th4 and th2 still count" "th2 +3/+3 th4 +3/+3" "$(deltas)"

check "th2 set egress-action=drop" bn_cli th2 set egress-action=drop
check "th2 egress=drop: ping A->B fails" ping_fail "$A" "$IPB"
check "delete th2 while attached to hw1:p1" bn_cli del th2
check_eq "hw1:p1 has no tcubes after deleting th2" "null" \
	"$(bn_cli hw1 ports p1 show -json | jq -c .tcubes)"
check "after deleting th2: ping A->B works" ping_ok "$A" "$IPB"

# ---- (5) deleting a connected port / cube ---------------------------------------

# POLYCUBE.md 2.6: deleting a port or cube unlinks its ports; the far side
# goes DOWN but keeps its peer string.
if check "delete port hw2:p1 while connected to hw1:p2" bn_cli hw2 ports del p1; then
	check_eq "hw1:p2 goes DOWN" DOWN "$(status hw1 p2)"
	check_eq "hw1:p2 keeps its peer string" hw2:p1 "$(peer hw1 p2)"
	check "ping A->B fails without hw2:p1" ping_fail "$A" "$IPB"
	check "re-add hw2 ports p1 peer=hw1:p2" bn_cli hw2 ports add p1 peer=hw1:p2
	check_eq "re-added port: link UP again" "hw1:p2=UP hw2:p1=UP" "$(link_status)"
else
	bn_note "hw2:p1 still exists: the rest of this step is skipped"
fi

if check "delete hw2 while connected to hw1:p2" bn_cli del hw2; then
	check_eq "hw1:p2 goes DOWN" DOWN "$(status hw1 p2)"
	check_eq "hw1:p2 keeps its peer string" hw2:p1 "$(peer hw1 p2)"
	check "ping A->B fails without hw2" ping_fail "$A" "$IPB"
	check "re-create hw2 (action=forward)" bn_cli helloworld add hw2 action=forward
	check "hw2 ports add p1 peer=hw1:p2" bn_cli hw2 ports add p1 peer=hw1:p2
	check "hw2 ports add p2 peer=$VB" bn_cli hw2 ports add p2 peer="$VB"
	check_eq "re-created hw2: link UP again" "hw1:p2=UP hw2:p1=UP" "$(link_status)"
	check "re-created hw2: ping A->B works" ping_ok "$A" "$IPB"
else
	bn_note "hw2 still exists: the rest of this step is skipped"
fi

# ---- (6) TCP through the chain ---------------------------------------------------

check "th3 back on hw1:p2 (pass both ways)" \
	sh -c "'$BN_BUILD/bpfnet' th3 set egress-action=pass && '$BN_BUILD/bpfnet' attach th3 hw1:p2"
TCUBES="th3 th4"
snap
ip netns exec "$B" timeout 30 iperf3 -s -1 -B "$IPB" -p 5201 >"$T/iperf-server.log" 2>&1 &
IPERF_PID=$!
# shellcheck disable=SC2016 # expanded at cleanup time
bn_on_cleanup '[ -n "$IPERF_PID" ] && kill "$IPERF_PID"'
check "iperf3 server listens in B" poll_until 5 \
	sh -c "ip netns exec '$B' ss -Hltn 'sport = :5201' | grep -q 5201"
ip netns exec "$A" timeout 20 iperf3 -c "$IPB" -p 5201 -t 2 -J >"$T/iperf.json" 2>&1
check_eq "iperf3 client exits 0" 0 "$?"
bps=$(jq -r '.end.sum_received.bits_per_second // 0' "$T/iperf.json" 2>/dev/null)
bn_note "iperf3 A->B through th4, hw1, th3, hw2: ${bps:-?} bits/s"
check "iperf3 TCP A->B reports > 0 bits/s" awk -v b="${bps:-0}" 'BEGIN { exit !(b > 0) }'
wait "$IPERF_PID"
check_eq "iperf3 server (-1) exits 0 after one test" 0 "$?"
IPERF_PID=""
check_match "th3 and th4 saw the TCP traffic (> 100 segments each way)" \
	'^th3 \+[0-9]{3,}/\+[0-9]{3,} th4 \+[0-9]{3,}/\+[0-9]{3,}$' "$(deltas)"

bn_finish
