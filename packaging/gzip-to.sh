#!/bin/sh
# gzip-to.sh OUT COMMAND...: runs COMMAND and keeps its output as OUT, gzipped reproducibly (no
# name, no time), as Debian wants changelogs and manual pages.
set -e
out=$1
shift
mkdir -p "$(dirname "$out")"
"$@" | gzip -n -9 > "$out.tmp"
mv "$out.tmp" "$out"
