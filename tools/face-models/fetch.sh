#!/bin/sh
# Usage: fetch.sh CACHE_DIR
# Puts the npm tarballs pinned in models.lock.json into CACHE_DIR and checks
# their sha512. A cached tarball that matches is used as is, without network.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 CACHE_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
lock="$here/models.lock.json"
mkdir -p "$1"
cache=$(cd "$1" && pwd)

# node comes with npm, which this script needs anyway; it reads the lock.
packages=$(node -e '
    const lock = require(process.argv[1]);
    for (const p of lock.packages) console.log([p.name, p.version, p.tarball, p.integrity].join(" "));
' "$lock")

sha512_of() {
    printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"
}

while read -r name version tarball integrity; do
    dest="$cache/$tarball"
    if [ -f "$dest" ]; then
        if [ "$(sha512_of "$dest")" = "$integrity" ]; then
            echo "fetch.sh: $name@$version: cached $dest"
            continue
        fi
        # Never reuse a file that does not match; keep it aside for inspection.
        echo "fetch.sh: $name@$version: cached $dest does not match the lock, fetching again" >&2
        mv -f "$dest" "$dest.rejected"
    fi

    tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
    if ! npm pack "$name@$version" --pack-destination "$tmp" --ignore-scripts --loglevel=warn >/dev/null; then
        rm -rf "$tmp"
        echo "fetch.sh: ERROR: npm pack $name@$version failed" >&2
        exit 1
    fi
    got="$tmp/$tarball"
    if [ ! -f "$got" ]; then
        ls -l "$tmp" >&2
        rm -rf "$tmp"
        echo "fetch.sh: ERROR: npm pack $name@$version did not produce $tarball" >&2
        exit 1
    fi
    actual=$(sha512_of "$got")
    if [ "$actual" != "$integrity" ]; then
        rm -rf "$tmp"
        echo "fetch.sh: ERROR: $name@$version: sha512 mismatch" >&2
        echo "  expected $integrity" >&2
        echo "  got      $actual" >&2
        exit 1
    fi
    mv -f "$got" "$dest"
    rm -rf "$tmp"
    echo "fetch.sh: $name@$version: fetched $dest"
done <<EOF
$packages
EOF
