#!/bin/sh
# Usage: build.sh CACHE_DIR OUT_DIR
# Fetches the pinned npm tarballs into CACHE_DIR and converts their face models
# into OUT_DIR (blazeface.onnx, facemesh.onnx, face-recognition.onnx,
# manifest.json). Does nothing when OUT_DIR/manifest.json is newer than the lock
# and the converter, so a build system can call it on every build.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 CACHE_DIR OUT_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
out=$2
manifest="$out/manifest.json"

up_to_date() {
    [ -f "$manifest" ] || return 1
    for f in "$here/models.lock.json" "$here/convert.py" "$here/fetch.sh" "$here/build.sh"; do
        [ "$manifest" -nt "$f" ] || return 1
    done
    for f in blazeface.onnx facemesh.onnx face-recognition.onnx; do
        [ -f "$out/$f" ] || return 1
    done
}

# face-api's sample photos (group pictures of different people), beside the models, for the
# tests' impostor pairs. Test data only: no package installs them.
samples="$(dirname "$out")/face-samples"
extract_samples() {
    [ -f "$samples/sample6.jpg" ] && [ "$samples/sample6.jpg" -nt "$here/models.lock.json" ] && return 0
    mkdir -p "$samples"
    tar -xzf "$cache/vladmandic-face-api-1.7.15.tgz" -C "$samples" --strip-components=2 \
        package/demo/sample1.jpg package/demo/sample2.jpg package/demo/sample3.jpg \
        package/demo/sample4.jpg package/demo/sample5.jpg package/demo/sample6.jpg
    touch "$samples"/sample*.jpg
}

if up_to_date; then
    extract_samples
    echo "build.sh: $out is up to date"
    exit 0
fi

# Debian's interpreter: the python3 first on PATH may be another build without
# Debian's modules.
if ! /usr/bin/python3 -c 'import onnx, numpy' 2>/dev/null; then
    echo "build.sh: ERROR: /usr/bin/python3 lacks onnx or numpy; apt-get install python3-onnx python3-numpy" >&2
    exit 1
fi

"$here/fetch.sh" "$cache"
/usr/bin/python3 "$here/convert.py" "$cache" "$out"
extract_samples
