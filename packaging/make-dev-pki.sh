#!/bin/sh
# Makes a development PKI for mutual TLS between terminals and the reference backend (and the
# fleet's MQTT broker): a CA, a server certificate for 127.0.0.1/localhost, two terminal
# certificates and the fleet service's. For development and
# tests only — production keys are never generated here nor committed.
# A terminal certificate's CN is the terminal's id: the backend refuses requests whose
# X-Terminal-Id names another.
#   make-dev-pki.sh DIR [TERMINAL_ID]   (does nothing when DIR/ca.pem exists; id SMZC-DEV-0001)
set -eu
dir=${1:?usage: make-dev-pki.sh DIR [TERMINAL_ID]}
terminal_id=${2:-SMZC-DEV-0001}
[ -f "$dir/ca.pem" ] && exit 0
mkdir -p "$dir"
cd "$dir"
days=825
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days $days \
  -subj "/CN=SMZC Development CA" -keyout ca.key -out ca.pem 2>/dev/null
issue() {  # name subject extensions
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$2" \
    -keyout "$1.key" -out "$1.csr" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days $days \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
issue server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
issue terminal "/CN=$terminal_id" "extendedKeyUsage=clientAuth"
# A second terminal, for tests that one terminal cannot see another's applications.
issue terminal2 "/CN=SMZC-DEV-0002" "extendedKeyUsage=clientAuth"
# The fleet service, which reads every terminal's reports from the MQTT broker.
issue fleet "/CN=smzc-fleet" "extendedKeyUsage=clientAuth"
chmod 600 ./*.key
