# tests/tls_helpers.sh — sourced by the *-tls.t tests after lib.sh: two
# self-signed certificates in $T, good.pem for 127.0.0.1 and other.pem
# for example.com (keys in good.key, other.key); nothing is trusted until
# the test sets WN_CA_FILE.
unset WN_CA_FILE
cert() {	# cert NAME SAN
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=wn-test" \
		-addext "subjectAltName=$2" -keyout "$1.key" -out "$1.pem" 2>/dev/null
}
cert good IP:127.0.0.1
cert other DNS:example.com
