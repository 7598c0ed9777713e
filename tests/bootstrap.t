#!/bin/sh
# ./bootstrap and the package lists, on a pretend fresh machine: fake
# apt-get, dpkg-query and id on PATH (nothing is installed for real), and
# no make until the fake apt-get "installs" one.
. "$WN_ROOT/tests/lib.sh"

fake=$T/fakebin
mkdir -p "$fake"
# only what the scripts need, and no make
for u in sh cat dirname grep; do ln -s "$(command -v $u)" "$fake/$u"; done
cat >"$fake/id" <<'EOF2'
#!/bin/sh
echo "${FAKE_UID:-0}"
EOF2
cat >"$fake/dpkg-query" <<'EOF2'
#!/bin/sh
exit 1	# nothing is installed
EOF2
cat >"$fake/apt-get" <<EOF2
#!/bin/sh
echo "apt-get \$*" >>"$T/apt.log"
case " \$* " in *" make "*)
	printf '#!/bin/sh\necho "make \$*" >>"$T/make.log"\n' >"$fake/make"
	$(command -v chmod) +x "$fake/make" ;;
esac
EOF2
chmod +x "$fake/id" "$fake/dpkg-query" "$fake/apt-get"

# --- no make, as root: make is installed, then make runs ---
rm -f apt.log make.log
PATH=$fake "$WN_ROOT/bootstrap" demo >out 2>err; rc=$?
same "bootstrap demo: exit 0" "$rc" 0
same "bootstrap: apt-get update, then install make alone" "$(cat apt.log | tr '\n' '|')" \
	"apt-get update -qq|apt-get install -y -qq --no-install-recommends make|"
same "bootstrap: then make demo" "$(cat make.log)" "make demo"
rm -f apt.log make.log
PATH=$fake "$WN_ROOT/bootstrap" check SANITIZE=1 >out 2>err
same "bootstrap: make's arguments as given" "$(cat make.log)" "make check SANITIZE=1"
same "bootstrap: make already there: nothing installed" "$(cat apt.log 2>/dev/null)" ""
rm -f "$fake/make"

# --- no make, not root: the line to run, nothing installed ---
rm -f apt.log
FAKE_UID=1000 PATH=$fake "$WN_ROOT/bootstrap" demo >out 2>err; rc=$?
same "bootstrap as a user: exit 1" "$rc" 1
contains "bootstrap as a user: says what to run" "$(cat err)" "run: sudo apt-get install -y make"
check "bootstrap as a user: nothing installed" test ! -e apt.log
PATH=$fake "$WN_ROOT/bootstrap" >out 2>err; same "bootstrap without a target: 100" "$?" 100

# --- make demo installs only what the demo needs; make check everything ---
rm -f apt.log
PATH=$fake:$PATH make -s -C "$WN_ROOT" deps-demo >out 2>err; rc=$?
same "deps-demo: exit 0" "$rc" 0
demo=$(grep ' install ' apt.log)
contains "deps-demo: the compiler and libraries" "$demo" \
	"build-essential pkg-config libcurl4-openssl-dev libcjson-dev libwslay-dev libssl-dev"
for p in check valgrind runit s6 systemd python3-websockets mandoc; do
	case " $demo " in *" $p "*) notok "deps-demo: no $p";; *) ok "deps-demo: no $p";; esac
done
rm -f apt.log
PATH=$fake:$PATH make -s -C "$WN_ROOT" deps >out 2>err
all=$(grep ' install ' apt.log)
for p in check valgrind runit s6 systemd python3-websockets mandoc jq; do
	contains "deps (make check): $p" "$all" " $p"
done
FAKE_UID=1000 PATH=$fake:$PATH make -s -C "$WN_ROOT" deps-demo >out 2>err; rc=$?
check "deps-demo as a user: fails" test "$rc" -ne 0
contains "deps-demo as a user: prints the apt-get line" "$(cat err)" "sudo apt-get install -y build-essential"

done_testing
