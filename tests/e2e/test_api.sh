#!/usr/bin/env bash
# The REST / CLI contract, positive side: creating, reading, changing and
# deleting cubes through polycubectl and through the REST API (status codes,
# JSON shapes and key order), the framework commands (cubes, services,
# netdevs, topology, version, connect, attach), output formats (-json,
# -yaml, leaf values, help), bodies from stdin, POLYCUBECTL_URL, a daemon on
# TCP, and persistence across a daemon restart.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

command -v curl >/dev/null || skip "curl not installed"

A=${BN_P}a	# sf:p1's netdev
B=${BN_P}b	# A's other end: transparent cubes are attached here
C=${BN_P}c	# a free netdev
D=${BN_P}d
E=${BN_P}e	# a DOWN netdev
F=${BN_P}f

URL=http://x/polycube/v1

# ---- helpers -----------------------------------------------------------------

# api METHOD PATH [CURL ARGS...]: API_CODE, body in $T/api.body, headers in $T/api.hdr.
api() {
	local m=$1 p=$2
	shift 2
	API_CODE=$(curl -s --unix-socket "$T/sock" -X "$m" -D "$T/api.hdr" -o "$T/api.body" \
		-w '%{http_code}' "$URL/$p" "$@")
}

# api_is STATUS METHOD PATH [CURL ARGS...]: the request answers STATUS.
api_is() {
	local want=$1
	shift
	api "$@" || { echo "curl failed"; return 1; }
	echo "$1 $2 -> $API_CODE $(head -c 400 "$T/api.body")"
	[ "$API_CODE" = "$want" ]
}

# py EXPR FILE: evaluate EXPR with j = the JSON in FILE, print the result
# (strings raw, lists/dicts as compact JSON).
py() {
	python3 -c '
import json, sys
j = json.load(open(sys.argv[2]))
v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))' "$1" "$2"
}

# cli ARGS...: polycubectl with stdin closed; stdout in $T/cli.out, stderr in
# $T/cli.err, exit status returned.
cli() {
	bn_cli "$@" >"$T/cli.out" 2>"$T/cli.err" </dev/null
}

# cli_quiet ARGS...: exit 0, nothing on stdout or stderr (add/set/del).
cli_quiet() {
	local rc
	cli "$@"
	rc=$?
	echo "polycubectl $* -> exit $rc"
	cat "$T/cli.out" "$T/cli.err"
	[ "$rc" -eq 0 ] && [ ! -s "$T/cli.out" ] && [ ! -s "$T/cli.err" ]
}

# val ARGS...: the printed value of a leaf show.
val() { bn_cli "$@" 2>&1 </dev/null; }

is_json() { python3 -c 'import json, sys; json.load(sys.stdin)'; }

# Key order of a cube GET, without _links (Polycube's HATEOAS links).
keys_of() {	# EXPR FILE
	py "\",\".join(k for k in ($1) if k != \"_links\")" "$2"
}

no_hook() {
	local d=$1 idx
	idx=$(cat "/sys/class/net/$d/ifindex") || return 1
	! ip link show dev "$d" | grep -q xdp &&
		! ls "$BN_PIN_DIR/links" 2>/dev/null | grep -q "^${idx}_"
}

# ---- setup ---------------------------------------------------------------------

bn_daemon_start
bn_veth root "$A" root "$B"
bn_veth root "$C" root "$D"
bn_veth root "$E" root "$F"
ip link set "$E" down || bn_bail "set $E down"

# ---- creating with the CLI, defaults, short form -------------------------------------

check "CLI: simpleforwarder add sf (exit 0, silent)" cli_quiet simpleforwarder add sf
check_eq "default type" TC "$(val sf show type)"
check_eq "default loglevel" INFO "$(val sf show loglevel)"
check_eq "default shadow" false "$(val sf show shadow)"
check_eq "default span" false "$(val sf show span)"
check_eq "service-name" simpleforwarder "$(val sf show service-name)"
check "short form: polycubectl sf show" cli sf show
check_match "short form: show prints the cube" $'(^|\n)name: sf\n.*(^|\n)type: TC\n' "$(cat "$T/cli.out")"
check_eq "long and short form print the same" "$(val simpleforwarder sf show)" "$(val sf show)"

check "CLI: ports add p1 peer=$A" cli_quiet sf ports add p1 peer="$A"
check "CLI: ports add p2 (short form)" cli_quiet sf ports add p2
check "CLI: long form ports add p9" cli_quiet simpleforwarder sf ports add p9
check "CLI: command after the path (sf ports p9 del)" cli_quiet sf ports p9 del
check_eq "leaf show prints the bare value (peer)" "$A" "$(val sf ports p1 show peer)"
bn_cli sf ports p1 show peer >"$T/leaf.out" 2>&1 </dev/null
printf '%s\n\n' "$A" >"$T/leaf.exp"
check "leaf show: the value, then an empty line" cmp "$T/leaf.exp" "$T/leaf.out"
check_eq "p1 peered to a netdev is UP" UP "$(val sf ports p1 show status)"
check_eq "p2 without a peer is DOWN" DOWN "$(val sf ports p2 show status)"
check_eq "p2 peer is empty" "" "$(val sf ports p2 show peer)"
check "$A has a hook" eval '! no_hook "$A"'

# set with one parameter = PATCH of the leaf
check "set one param: exit 0" cli_quiet sf set loglevel=DEBUG
check_eq "set one param: value changed" DEBUG "$(val sf show loglevel)"
POLYCUBECTL_DEBUG=1 bn_cli sf set loglevel=WARN >/dev/null 2>"$T/debug.err" </dev/null
check_match "set one param sends PATCH <cube>/loglevel/ with a bare JSON string" \
	$'^PATCH [^ ]*/sf/loglevel/[^\n]*\n"WARN"\n' "$(cat "$T/debug.err")"
POLYCUBECTL_DEBUG=1 bn_cli sf set loglevel=INFO span=false >/dev/null 2>"$T/debug.err" </dev/null
check_match "set two params sends PATCH <cube>/ with an object" \
	$'^PATCH [^ ]*/sf/ [^\n]*\n\\{"loglevel":"INFO","span":false\\}\n' "$(cat "$T/debug.err")"
check "set peer of p2 (leaf PATCH)" cli_quiet sf ports p2 set peer="$C"
check_eq "p2 now UP" UP "$(val sf ports p2 show status)"
check "set peer=\"\" unlinks" cli_quiet sf ports p2 set peer=""
check_eq "p2 DOWN again" DOWN "$(val sf ports p2 show status)"
check_eq "p2 peer empty again" "" "$(val sf ports p2 show peer)"
check "set peer=\"\" again is a no-op" cli_quiet sf ports p2 set peer=""
check "$C unhooked" poll_until 5 no_hook "$C"

check "CLI: actions add" cli_quiet sf actions add p1 action=FORWARD outport=p2
check_eq "enum printed lower case" forward "$(val sf actions p1 show action)"
check_eq "action outport" p2 "$(val sf actions p1 show outport)"

# list GET
check "list show" cli sf ports show
check_match "list show: a table with a header and both ports" \
	$'^name +uuid +status +peer\n(p1 .*UP +'"$A"$'\n)(p2 .*DOWN *)$' "$(cat "$T/cli.out")"
check "API: GET ports list 200" api_is 200 GET simpleforwarder/sf/ports/
check_eq "API: ports list is an array of both" '["p1","p2"]' "$(py '[p["name"] for p in j]' "$T/api.body")"

# ---- creating with the REST API ------------------------------------------------------

check "API: POST simpleforwarder/sf2/ 201" api_is 201 POST simpleforwarder/sf2/ -d '{"loglevel":"WARN"}'
check "API: POST port p1 201" api_is 201 POST simpleforwarder/sf2/ports/p1/ -d '{}'
check "API: POST port p2 201" api_is 201 POST simpleforwarder/sf2/ports/p2/ -d '{}'
check "API: POST action 201" api_is 201 POST simpleforwarder/sf2/actions/p1/ -d '{"action":"FORWARD","outport":"p2"}'
check "API: GET cube 200" api_is 200 GET simpleforwarder/sf2/
check "API: GET is JSON (Content-Type)" grep -qi '^content-type: *application/json' "$T/api.hdr"
check_eq "API: cube key order" "name,uuid,service-name,type,loglevel,ports,shadow,span,actions" \
	"$(keys_of 'j' "$T/api.body")"
check_eq "API: port key order" "name,uuid,status,peer" "$(keys_of 'j["ports"][0]' "$T/api.body")"
check_match "API: action key order starts inport,action,outport" '^inport,action,outport(,|$)' \
	"$(keys_of 'j["actions"][0]' "$T/api.body")"
check_eq "API: values (name, service, type, loglevel, shadow, span)" \
	'["sf2","simpleforwarder","TC","WARN",false,false]' \
	"$(py '[j[k] for k in ("name","service-name","type","loglevel","shadow","span")]' "$T/api.body")"
check_eq "API: enum input upper case, output lower case" forward "$(py 'j["actions"][0]["action"]' "$T/api.body")"
check_match "API: uuid is a UUID" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' \
	"$(py 'j["uuid"]' "$T/api.body")"
check "API: the cube is also under /cubes/sf2" api_is 200 GET cubes/sf2
check_eq "API: /cubes/sf2 name" sf2 "$(py 'j["name"]' "$T/api.body")"
check "API: GET leaf 200" api_is 200 GET simpleforwarder/sf2/loglevel/
check_eq "API: GET leaf is a JSON scalar" '"WARN"' "$(cat "$T/api.body")"
check "API: PATCH leaf 200" api_is 200 PATCH simpleforwarder/sf2/loglevel/ -d '"ERR"'
check_eq "API: PATCH leaf applied" ERR "$(val sf2 show loglevel)"
check "API: cube-level PATCH 200 (POLYCUBE.md 2.2)" api_is 200 PATCH simpleforwarder/sf2/ -d '{"loglevel":"INFO"}'
check_eq "API: cube-level PATCH applied" INFO "$(val sf2 show loglevel)"
check "API: short form GET /sf2/ports/p1/" api_is 200 GET sf2/ports/p1/
check_eq "API: short form reaches the port" p1 "$(py 'j["name"]' "$T/api.body")"
check "API: element DELETE 204" api_is 204 DELETE simpleforwarder/sf2/actions/p1/
check "API: list after element DELETE" api_is 200 GET simpleforwarder/sf2/actions/
check_eq "API: empty list is []" "[]" "$(py 'j' "$T/api.body")"
check "API: DELETE of a missing element 409" api_is 409 DELETE simpleforwarder/sf2/actions/p1/
check "API: whole-list DELETE 200" api_is 200 DELETE simpleforwarder/sf2/ports/
check "API: no ports left" api_is 200 GET simpleforwarder/sf2/ports/
check_eq "API: ports list empty" "[]" "$(py 'j' "$T/api.body")"
check "API: cube DELETE 200" api_is 200 DELETE simpleforwarder/sf2/
check "API: deleted cube is gone (404)" api_is 404 GET simpleforwarder/sf2/
check "API: DELETE of a missing cube 409" api_is 409 DELETE simpleforwarder/sf2/
check "API: service root GET lists summaries" api_is 200 GET simpleforwarder/
check_eq "API: service root names" '["sf"]' "$(py '[c["name"] for c in j]' "$T/api.body")"
check "API: POST on the service root with a name 201" api_is 201 POST helloworld/ -d '{"name":"hwr"}'
check "CLI: short form del (polycubectl del hwr)" cli_quiet del hwr
check "CLI: the cube is gone" api_is 404 GET cubes/hwr
check "CLI: helloworld add hws" cli_quiet helloworld add hws
check "CLI: short form del after the cube (polycubectl hws del)" cli_quiet hws del
check "CLI: long form del (helloworld del hwt)" eval 'cli_quiet helloworld add hwt && cli_quiet helloworld del hwt'
check "API: root GET 200" api_is 200 GET ""

# ---- framework commands ------------------------------------------------------------

check "cubes: exit 0" cli cubes
check_match "cubes: a section per service with the cube" $'simpleforwarder:\n +name +uuid +service-name.*\n +sf ' "$(cat "$T/cli.out")"
check "cubes show -json is JSON" eval 'bn_cli cubes show -json </dev/null >"$T/cubes.json" && is_json <"$T/cubes.json"'
check_eq "cubes -json: simpleforwarder sf" '["sf"]' "$(py '[c["name"] for c in j["simpleforwarder"]]' "$T/cubes.json")"
check "services show: exit 0" cli services show
check_match "services show: the three services" 'simpleforwarder.*helloworld.*transparenthelloworld' "$(cat "$T/cli.out" | tr '\n' ' ')"
check "services -json" eval 'bn_cli services show -json </dev/null >"$T/svc.json" && is_json <"$T/svc.json"'
check_eq "services -json names" '["helloworld","simpleforwarder","transparenthelloworld"]' \
	"$(py 'sorted(s["name"] for s in j)' "$T/svc.json")"
check "API: GET services/helloworld 200" api_is 200 GET services/helloworld
check "netdevs: exit 0" cli netdevs
check_match "netdevs: shows $A" "(^|[[:space:]])$A( |$)" "$(cat "$T/cli.out")"
check "netdevs -json" eval 'bn_cli netdevs show -json </dev/null >"$T/nd.json" && is_json <"$T/nd.json"'
check_eq "netdevs -json: $A and $C (UP) listed, $E (DOWN) and lo not" "$A $C" \
	"$(py '" ".join(sorted(n["name"] for n in j if n["name"] in ("'"$A"'","'"$C"'","'"$E"'","lo")))' "$T/nd.json")"
check "topology: exit 0" cli topology
check_match "topology: lists sf" $'(^|\n)sf +simpleforwarder' "$(cat "$T/cli.out")"
check "version: exit 0" cli version
check_match "version: client and daemon" $'^polycubectl:\n version: [^\n]+\npolycubed:\n version: [^\n]+' "$(cat "$T/cli.out")"
check "API: GET version" api_is 200 GET version
check_match "API: version shape" '^\{"polycubed":\{"version":"[^"]+"\}\}$' "$(cat "$T/api.body")"

# ---- output formats and help ---------------------------------------------------------

check "sf show -json is JSON" eval 'bn_cli sf show -json </dev/null | is_json'
check "sf ports show -json is JSON" eval 'bn_cli sf ports show -json </dev/null | is_json'
check_match "-json is indented by 2" $'^\\{\n  "name": "sf",\n  "uuid"' "$(val sf show -json)"
bn_cli sf show -yaml </dev/null >"$T/sf.yaml" 2>&1
bn_cli sf show -json </dev/null >"$T/sf.json" 2>&1
check "-yaml is YAML with the same content as -json" python3 -c '
import json, sys, yaml
y = yaml.safe_load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))
strip = lambda d: {k: v for k, v in d.items() if k not in ("actions", "_links")}
assert strip(y) == strip(j), (y, j)' "$T/sf.yaml" "$T/sf.json"
check_eq "-yaml keys sorted" "$(grep -Eo '^[a-z-]+:' "$T/sf.yaml" | sort | tr -d '\n')" \
	"$(grep -Eo '^[a-z-]+:' "$T/sf.yaml" | tr -d '\n')"
check "help: sf ? exit 0" cli sf '?'
check_match "help: sf ? lists the children" 'ports.*actions' "$(tr '\n' ' ' <"$T/cli.out")"
check "help: sf show ? exit 0" cli sf show '?'
check_match "help: sf show ? mentions loglevel" 'loglevel' "$(cat "$T/cli.out")"
check "help: sf ports p1 set ? exit 0" cli sf ports p1 set '?'
check_match "help: port set help offers peer=value" 'peer=value' "$(cat "$T/cli.out")"
check "help: sf set ? exit 0" cli sf set '?'
check_match "help: cube set help offers loglevel=value" 'loglevel=value' "$(cat "$T/cli.out")"
check "help: cube set help does not offer read-only uuid or init-only type" eval '! grep -Eq "^ *(uuid|type)" "$T/cli.out"'
check "help: root ? exit 0" cli '?'
check_match "help: root lists services and commands" 'simpleforwarder.*connect' "$(tr '\n' ' ' <"$T/cli.out")"
check "help: attach ? exit 0" cli attach '?'
check_match "help: attach ? mentions position" 'position' "$(cat "$T/cli.out")"

# ---- bodies from stdin -------------------------------------------------------------

check "stdin JSON body" eval "echo '{\"action\":\"slowpath\"}' | bn_cli sf actions add p2"
check_eq "stdin JSON body applied" slowpath "$(val sf actions p2 show action)"
check "CLI: actions del p2" cli_quiet sf actions del p2
check "stdin JSON body (brief's example)" eval "echo '{\"action\":\"forward\",\"outport\":\"p1\"}' | bn_cli sf actions add p2"
check_eq "stdin body: action" forward "$(val sf actions p2 show action)"
check_eq "stdin body: outport" p1 "$(val sf actions p2 show outport)"
printf 'action: drop\n' >"$T/a.yaml"
check "YAML file on stdin (set)" eval 'bn_cli sf actions p2 set <"$T/a.yaml"'
check_eq "YAML body applied" drop "$(val sf actions p2 show action)"
cat >"$T/cubes.yaml" <<'EOF'
- name: hy
  service-name: helloworld
  action: forward
  ports:
  - name: a
  - name: b
EOF
check "cubes add < cubes.yaml" eval 'bn_cli cubes add <"$T/cubes.yaml"'
check_eq "cubes add: the cube exists with its action" forward "$(val hy show action)"
check_eq "cubes add: with both ports" "a b" "$(val hy ports show -json | python3 -c 'import json,sys; print(" ".join(p["name"] for p in json.load(sys.stdin)))')"
check "del hy" cli_quiet del hy

# ---- connect / disconnect ------------------------------------------------------------

check "helloworld h1 with port a" eval 'cli_quiet helloworld add h1 && cli_quiet h1 ports add a'
check "helloworld h2 with port a" eval 'cli_quiet helloworld add h2 && cli_quiet h2 ports add a'
check "connect h1:a h2:a" cli_quiet connect h1:a h2:a
check_eq "connect: h1:a peer" h2:a "$(val h1 ports a show peer)"
check_eq "connect: h2:a peer" h1:a "$(val h2 ports a show peer)"
check_eq "connect: h1:a UP" UP "$(val h1 ports a show status)"
check_eq "connect: h2:a UP" UP "$(val h2 ports a show status)"
check "disconnect h1:a h2:a" cli_quiet disconnect h1:a h2:a
check_eq "disconnect: h1:a DOWN" DOWN "$(val h1 ports a show status)"
check_eq "disconnect: h2:a DOWN" DOWN "$(val h2 ports a show status)"
check_eq "disconnect: h1:a peer cleared" "" "$(val h1 ports a show peer)"
check "half-open: h1:a set peer=h2:a" cli_quiet h1 ports a set peer=h2:a
check_eq "half-open: h1:a DOWN" DOWN "$(val h1 ports a show status)"
check_eq "half-open: h2:a DOWN" DOWN "$(val h2 ports a show status)"
check "other end: h2:a set peer=h1:a" cli_quiet h2 ports a set peer=h1:a
check_eq "both ends agree: h1:a UP" UP "$(val h1 ports a show status)"
check_eq "both ends agree: h2:a UP" UP "$(val h2 ports a show status)"
check "one end unlinks: h2:a set peer=\"\"" cli_quiet h2 ports a set peer=""
check_eq "one end unlinked: h1:a DOWN" DOWN "$(val h1 ports a show status)"
check_eq "one end unlinked: h1:a keeps its peer" h2:a "$(val h1 ports a show peer)"
check_eq "one end unlinked: h2:a DOWN" DOWN "$(val h2 ports a show status)"
check "connect a cube port to a netdev" cli_quiet connect h2:a "$C"
check_eq "connect to a netdev: UP" UP "$(val h2 ports a show status)"
check_eq "connect to a netdev: peer" "$C" "$(val h2 ports a show peer)"
check "del h1 h2" eval 'cli_quiet del h1 && cli_quiet del h2'
check "$C unhooked after del" poll_until 5 no_hook "$C"

# ---- transparent cubes and topology chains --------------------------------------------

for t in t1 t2 t3 t4 t5; do
	check "transparenthelloworld add $t" cli_quiet transparenthelloworld add "$t"
done
check "attach t1 $B" cli_quiet attach t1 "$B"
check "attach t2 $B position=first" cli_quiet attach t2 "$B" position=first
check "attach t3 $B after=t2" cli_quiet attach t3 "$B" after=t2
check "attach t4 $B before=t1" cli_quiet attach t4 "$B" before=t1
check "attach t5 $B position=last" cli_quiet attach t5 "$B" position=last
check "$B has a hook" eval '! no_hook "$B"'
check "topology show $B" cli topology show "$B"
check_match "ingress chain" $'(^|\n)ingress service chain: t2 ---> t3 ---> t4 ---> t1 ---> t5 ---> stack(\n|$)' "$(cat "$T/cli.out")"
check_match "egress chain (reversed)" $'(^|\n)egress service chain: t5 ---> t1 ---> t4 ---> t3 ---> t2 ---> stack(\n|$)' "$(cat "$T/cli.out")"
check_eq "parent of t3" "$B" "$(val t3 show parent)"
check "API: GET topology/$B" api_is 200 GET "topology/$B"
check_eq "API: topology chains" '["t2 ---> t3 ---> t4 ---> t1 ---> t5 ---> stack","t5 ---> t1 ---> t4 ---> t3 ---> t2 ---> stack"]' \
	"$(py '[j["ingress service chain"], j["egress service chain"]]' "$T/api.body")"
check "transparent cube key order" api_is 200 GET transparenthelloworld/t1/
check_match "transparent cube key order: name,uuid,service-name,type,loglevel,parent,..." \
	'^name,uuid,service-name,type,loglevel,parent,ingress-action,egress-action' "$(keys_of 'j' "$T/api.body")"
check "detach t3" cli_quiet detach t3 "$B"
check_match "chain without t3" $'(^|\n)ingress service chain: t2 ---> t4 ---> t1 ---> t5 ---> stack(\n|$)' "$(val topology show "$B")"
check_eq "t3 has no parent" "" "$(val t3 show parent)"
check "del t2 detaches it" cli_quiet del t2
check_match "chain without t2" $'(^|\n)ingress service chain: t4 ---> t1 ---> t5 ---> stack(\n|$)' "$(val topology show "$B")"
check_match "netdev without cubes: just stack" $'(^|\n)ingress service chain: stack(\n|$)' "$(val topology show "$D")"
check "attach t3 to a cube port" cli_quiet attach t3 sf:p2
check_eq "port tcubes lists it" '["t3"]' "$(val sf ports p2 show tcubes -json | tr -d ' \n')"
check_eq "parent is cube:port" sf:p2 "$(val t3 show parent)"

# ---- CLI targets: POLYCUBECTL_URL, a daemon on TCP -----------------------------------

check "POLYCUBECTL_URL=unix:\$T/sock (BPFNET_SOCKET pointing nowhere)" \
	env BPFNET_SOCKET="$T/nosock" POLYCUBECTL_URL="unix:$T/sock" "$BN_BUILD/bpfnet" sf show loglevel
check "POLYCUBECTL_URL with the full /polycube/v1/ form" \
	env -u BPFNET_SOCKET POLYCUBECTL_URL="unix:$T/sock" "$BN_BUILD/polycubectl" cubes

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PIN2=/sys/fs/bpf/${BN_P}t
mkdir -p "$T/state2"
"$BN_BUILD/bpfnetd" --socket "$T/sock2" --pin-dir "$PIN2" --state-dir "$T/state2" \
	--listen "127.0.0.1:$PORT" >>"$T/daemon2.log" 2>&1 &
PID2=$!
bn_on_cleanup "kill -TERM $PID2; poll_until 10 _bn_pid_gone $PID2 || kill -KILL $PID2; wait $PID2; rm -rf '$PIN2'"
TCP_URL=http://127.0.0.1:$PORT/polycube/v1/
tcp_cli() { env -u BPFNET_SOCKET POLYCUBECTL_URL="$TCP_URL" "$BN_BUILD/bpfnet" "$@" </dev/null; }
check "second daemon (--listen 127.0.0.1:$PORT) answers on TCP" poll_until 10 tcp_cli cubes
check "TCP: helloworld add tcp1" tcp_cli helloworld add tcp1 action=forward
check_eq "TCP: the cube is there" forward "$(tcp_cli tcp1 show action 2>&1)"
check_eq "TCP: same daemon on its Unix socket" forward \
	"$(BPFNET_SOCKET=$T/sock2 "$BN_BUILD/bpfnet" tcp1 show action 2>&1 </dev/null)"
check "TCP: not in the first daemon" api_is 404 GET cubes/tcp1
check "TCP: curl GET version 200" eval '[ "$(curl -s -o /dev/null -w "%{http_code}" "${TCP_URL}version")" = 200 ]'
check "TCP: second daemon has its own pins" test -d "$PIN2/cubes/tcp1"
check "TCP: del tcp1" tcp_cli del tcp1

# ---- REST methods the framework endpoints do not have -------------------------------

check "DELETE /cubes/sf is refused (4xx)" eval 'api "DELETE" cubes/sf; echo "$API_CODE $(cat "$T/api.body")"; [[ $API_CODE == 4?? ]]'
check "DELETE /cubes/sf left sf" api_is 200 GET simpleforwarder/sf/
check "polycubectl cubes del sf fails (exit 1)" eval 'cli cubes del sf; [ $? -eq 1 ]'
check "POST /version is refused (4xx)" eval 'api POST version -d "{}"; echo "$API_CODE"; [[ $API_CODE == 4?? ]]'
check "PUT /netdevs is refused (4xx)" eval 'api PUT netdevs -d "{}"; echo "$API_CODE"; [[ $API_CODE == 4?? ]]'

# ---- persistence ---------------------------------------------------------------------

check "a valid change" cli_quiet sf set loglevel=TRACE
check_match "config.json holds the change" '"loglevel": *"TRACE"' "$(cat "$T/state/config.json")"
check_match "config.json holds the peer" "\"peer\": *\"$A\"" "$(cat "$T/state/config.json")"
# counters drop out: IPv6 autoconf sends packets through the veths
state_json() {
	bn_cli cubes show -json </dev/null
	for c in sf t1 t3 t4 t5; do bn_cli "$c" show -json </dev/null; done |
		grep -Ev '"(pkts|bytes|ingress-pkts|egress-pkts)"'
	bn_cli topology show "$B" -json </dev/null
}
state_json >"$T/before.json" 2>&1
check "daemon stops cleanly" bn_daemon_stop
bn_daemon_start
state_json >"$T/after.json" 2>&1
check "restart restores cubes show -json" eval 'diff <(bn_cli cubes show -json </dev/null) <(sed -n "1,/^}/p" "$T/before.json")'
check "restart restores every cube and the chain" diff -u "$T/before.json" "$T/after.json"
check_eq "restart: p1 still UP" UP "$(val sf ports p1 show status)"
check "restart: $A still hooked" eval '! no_hook "$A"'
check "after restart a change works" cli_quiet sf set loglevel=INFO
check_eq "after restart the change is visible" INFO "$(val sf show loglevel)"

bn_finish
