#!/bin/sh
# Check that the Debian packages wn builds and tests with are present;
# install the missing ones when running as root, else print the apt-get line.
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "wn: installing build dependencies:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || exit 1
	apt-get install -y -qq --no-install-recommends $missing >&2 || exit 1
else
	echo "wn: missing packages; run: sudo apt-get install -y$missing" >&2
	exit 1
fi
