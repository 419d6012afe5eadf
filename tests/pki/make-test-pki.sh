#!/usr/bin/env bash
# Makes a throw-away test CA and a server certificate for 127.0.0.1 / localhost, signed by it.
# Usage: make-test-pki.sh OUTDIR   -> OUTDIR/{ca.pem,ca.key,server.pem,server.key}
# Used by the tests and by the README demo; idempotent (keeps an existing, still valid set).
set -euo pipefail
out=${1:?usage: make-test-pki.sh OUTDIR}
mkdir -p "$out"
chmod 755 "$out"   # the permission tests run programs as an unprivileged user that must read ca.pem
if [ -s "$out/server.pem" ] && openssl x509 -checkend 86400 -noout -in "$out/server.pem" >/dev/null 2>&1; then
  exit 0
fi
umask 077
tmp=$(mktemp -d "$out/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -sha256 \
  -subj "/CN=ssocli test CA $(date +%s)" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$tmp/ca.key" -out "$tmp/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$tmp/server.key" -out "$tmp/server.csr" 2>/dev/null
cat > "$tmp/ext.cnf" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
  -days 30 -sha256 -extfile "$tmp/ext.cnf" -out "$tmp/server.pem" 2>/dev/null
chmod 644 "$tmp/ca.pem" "$tmp/server.pem"
mv "$tmp/ca.key" "$tmp/ca.pem" "$tmp/server.key" "$tmp/server.pem" "$out/"
