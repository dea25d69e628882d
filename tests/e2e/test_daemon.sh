#!/usr/bin/env bash
# The daemon itself: --daemon with a pid file, the token and loopback rules of
# --listen, one daemon per state dir, clean exit on SIGTERM, bad options, and
# bash completion driven by the schema.
source "$(dirname "$0")/../lib.sh"

D=$BN_BUILD/bpfnetd
PIN2=/sys/fs/bpf/${BN_P}d
bn_on_cleanup "rm -rf $PIN2"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- bad options: one line on stderr, exit 2, nothing started
check_fail "unknown option refused" "$D" --bogus
"$D" --bogus 2>"$T/err"; rc=$?
check_eq "... with exit status 2" 2 "$rc"
check_eq "... and one line on stderr" 1 "$(wc -l <"$T/err")"
check_fail "non-loopback --listen without a token is refused" \
	"$D" --socket "$T/x.sock" --pin-dir "$PIN2" --state-dir "$T/x" --listen 10.1.2.3:9000
check_fail "... and nothing listens" test -S "$T/x.sock"

# ---- --daemon: returns once serving, pid file, SIGTERM cleans up
check "--daemon returns when the daemon serves" \
	"$D" --daemon --pidfile "$T/d.pid" --socket "$T/d.sock" --pin-dir "$PIN2" --state-dir "$T/d"
PID=$(cat "$T/d.pid" 2>/dev/null)
bn_on_cleanup "kill $PID"
check "pid file names a live process" kill -0 "$PID"
check "it answers right away" env BPFNET_SOCKET="$T/d.sock" "$BN_BUILD/bpfnet" cubes
check_eq "the socket is root-only (0600)" 600 "$(stat -c %a "$T/d.sock")"
check_fail "a second daemon on the same state dir is refused" \
	"$D" --socket "$T/d2.sock" --pin-dir "$PIN2" --state-dir "$T/d"
kill -TERM "$PID"
check "SIGTERM: the daemon exits" poll_until 10 bash -c "! kill -0 $PID 2>/dev/null"
check_fail "... and removes its socket" test -e "$T/d.sock"
check_fail "... and its pid file" test -e "$T/d.pid"

# ---- a token: required on the Unix socket and on TCP
echo "s3cret-$$" >"$T/token"
PORT=$(free_port)
"$D" --socket "$T/t.sock" --pin-dir "$PIN2" --state-dir "$T/t" --listen "127.0.0.1:$PORT" \
	--token-file "$T/token" >>"$T/t.log" 2>&1 &
TPID=$!
bn_on_cleanup "kill $TPID"
check "token daemon answers with the token" poll_until 10 \
	env BPFNET_SOCKET="$T/t.sock" BPFNET_TOKEN_FILE="$T/token" "$BN_BUILD/bpfnet" cubes
check_fail "no token on the Unix socket: refused" env BPFNET_SOCKET="$T/t.sock" "$BN_BUILD/bpfnet" cubes
check_eq "no token on TCP: 401" 401 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/polycube/v1/cubes")"
check_eq "the token on TCP: 200" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer s3cret-$$" \
		"http://127.0.0.1:$PORT/polycube/v1/cubes")"
check "polycubectl over TCP with the token" env POLYCUBECTL_URL="http://127.0.0.1:$PORT/polycube/v1/" \
	BPFNET_TOKEN_FILE="$T/token" "$BN_BUILD/polycubectl" simpleforwarder add viatcp
check_eq "the cube exists" simpleforwarder "$(env BPFNET_SOCKET="$T/t.sock" BPFNET_TOKEN_FILE="$T/token" \
	"$BN_BUILD/bpfnet" viatcp show service-name)"
kill -TERM "$TPID"
poll_until 10 bash -c "! kill -0 $TPID 2>/dev/null"

# ---- completion from the schema (bpfnet --complete, used by the bash script)
bn_daemon_start
bn_cli simpleforwarder add sf >/dev/null
bn_cli sf ports add p1 >/dev/null
# the last word is the one being completed
has_word() { bn_cli --complete "${@:2}" | grep -qx "$1"; }
check "root completion lists the services" has_word simpleforwarder ''
check "... the cubes" has_word sf ''
check "... and the framework's commands" has_word topology ''
check_eq "... each once" "" "$(bn_cli --complete '' | sort | uniq -d)"
check "a cube's attributes and lists complete" has_word actions sf ''
check "a list's elements complete" has_word p1 sf ports ''
check "enum values complete" has_word forward sf actions add p1 action=
check "the bash completion script loads" bash -c \
	"source $BN_ROOT/packaging/bash-completion/bpfnet && complete -p polycubectl"
bn_finish
