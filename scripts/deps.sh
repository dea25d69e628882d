#!/usr/bin/env bash
# Install the Debian packages bpfnet needs to build, test and benchmark.
# Idempotent: installs only what is missing. Run as root.
set -euo pipefail

PKGS=(
	make gcc clang llvm pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev
	libmicrohttpd-dev libjansson-dev libyaml-dev libcmocka-dev
	iproute2 iputils-ping iperf3 ethtool procps util-linux curl jq python3
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages (${missing[*]}); run as root" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
