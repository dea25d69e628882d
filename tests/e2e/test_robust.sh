#!/usr/bin/env bash
# Robustness: several cubes created in one request get their own program
# slots; a failed save is rolled back whole; a cube that cannot be restored
# stays configured and takes nothing down with it; odd names and paths are
# refused; a port cannot be its own peer.
#
#   A --veth-- hw1 --veth-- B
source "$(dirname "$0")/../lib.sh"

A=${BN_P}A B=${BN_P}B a=${BN_P}a b=${BN_P}b
api() {	# METHOD PATH [BODY] -> prints the status
	curl -s -o "$T/api.out" -w '%{http_code}' --unix-socket "$T/sock" -X "$1" \
		${3:+-H 'Content-Type: application/json' -d "$3"} "http://x/polycube/v1/$2"
}
ids() { python3 -c 'import json,sys; print(" ".join(str(c["id"]) for c in json.load(open(sys.argv[1]))["cubes"]))' "$T/state/config.json"; }
ping_ab() { ip netns exec "$A" ping -c 2 -i 0.2 -W 2 10.75.0.2; }

bn_quiet_host "$A" "$a" 10.75.0.1/24 02:00:00:00:75:01
bn_quiet_host "$B" "$b" 10.75.0.2/24 02:00:00:00:75:02
bn_neigh "$A" 10.75.0.2 02:00:00:00:75:02
bn_neigh "$B" 10.75.0.1 02:00:00:00:75:01
bn_daemon_start

# ---- one request, several cubes: distinct ids, deleting one leaves the other
check_eq "POST cubes with two cubes: 201" 201 "$(api POST cubes '[
	{"service-name":"helloworld","name":"hw1","action":"forward",
	 "ports":[{"name":"p1","peer":"'"$a"'"},{"name":"p2","peer":"'"$b"'"}]},
	{"service-name":"helloworld","name":"hw2"}]')"
ids_now=$(ids)
check "the two cubes have different ids ($ids_now)" test "$(tr ' ' '\n' <<<"$ids_now" | sort -u | wc -l)" -eq 2
check "ping A->B through hw1" ping_ab
check "delete hw2" bn_cli del hw2
check "hw1 still forwards" ping_ab

# ---- a failed save: everything as before, kernel and config
mkdir "$T/state/config.json.tmp"	# the atomic write cannot create its temp file
check_eq "a change that cannot be saved: 500" 500 "$(api DELETE helloworld/hw1/ports/p2)"
rmdir "$T/state/config.json.tmp"
check_eq "p2 is back, UP" UP "$(bn_cli hw1 ports p2 show status)"
check_match "with its uuid" '^[0-9a-f-]{36}$' "$(bn_cli hw1 ports p2 show uuid)"
check "and traffic flows as before" ping_ab

# ---- odd names, paths, peers
for n in . .. .hidden; do
	check_eq "cube name '$n' refused" 400 "$(api POST helloworld/ "{\"name\":\"$n\"}")"
done
check_eq "a path that is not UTF-8: 400" 400 "$(api POST helloworld/hw1/ports/%FF)"
check_match "... with a JSON error" '"error"' "$(cat "$T/api.out")"
check "helloworld add hwx" bn_cli helloworld add hwx
check "hwx ports add q" bn_cli hwx ports add q
check_fail "a port cannot be its own peer" bn_cli hwx ports q set peer=hwx:q
check_fail "... nor by connect" bn_cli connect hwx:q hwx:q
check "delete hwx" bn_cli del hwx

# ---- another build of the data plane: reloaded, hooks moved over, traffic on
check "an XDP forwarder takes over A<->B" bash -ec "
	P=$BN_BUILD/polycubectl
	\$P hw1 ports p1 set peer=
	\$P hw1 ports p2 set peer=
	\$P simpleforwarder add sx type=XDP_SKB
	\$P sx ports add q1 peer=$a
	\$P sx ports add q2 peer=$b
	\$P sx actions add q1 action=forward outport=q2
	\$P sx actions add q2 action=forward outport=q1"
check "ping A->B through sx (XDP)" ping_ab
bn_daemon_stop
sed -i 's/"core-build": "[0-9a-f]*"/"core-build": "0000000000000000"/' "$T/state/config.json"
bn_daemon_start
check_match "the daemon reloads another build" "another build" "$(cat "$T/daemon.log")"
check "ping A->B on the reloaded data plane" ping_ab
check_match "$a carries XDP again" "xdpgeneric" "$(ip link show "$a")"
check "back to hw1 (TC)" bash -ec "
	P=$BN_BUILD/polycubectl
	\$P del sx
	\$P hw1 ports p1 set peer=$a
	\$P hw1 ports p2 set peer=$b"
check "ping A->B through hw1 again" ping_ab

# ---- a cube that cannot be restored
check "transparent cube th1 on hw1:p1" bash -ec "
	$BN_BUILD/polycubectl transparenthelloworld add th1
	$BN_BUILD/polycubectl attach th1 hw1:p1"
bn_daemon_stop
python3 - "$T/state/config.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for c in doc["cubes"]:
    if c["name"] == "th1":
        c["config"]["ingress-action"] = "bogus"	# no longer valid
json.dump(doc, open(sys.argv[1], "w"), indent=2)
PY
bn_daemon_start
check "the daemon starts and runs" bn_cli cubes show
check_match "it says th1 could not be restored" "cannot restore cube th1" "$(cat "$T/daemon.log")"
check "hw1 forwards" ping_ab
check "th1 stays in the configuration" grep -q '"name": "th1"' "$T/state/config.json"
check "th1's pins are kept" test -d "$BN_PIN_DIR/cubes/th1"
check_eq "the name th1 is not free: 409" 409 "$(api POST transparenthelloworld/th1/ '{}')"
check "a change to another cube is saved ..." bn_cli hw1 set loglevel=DEBUG
check "... and th1 is still in the file" grep -q '"name": "th1"' "$T/state/config.json"
bn_finish
