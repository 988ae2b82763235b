#!/usr/bin/python3
"""Check converted models against the tfjs references with OpenCV's own dnn.

Usage: /usr/bin/python3 check.py MODELS_DIR DATA_DIR [--runs N]

Uses Debian's python3-opencv (the library the C++ side links), one thread, and
feeds each model the way manifest.json says (cv2.dnn.blobFromImage on the BGR
image). Prints max abs diff and ms per inference; exits 1 if a model misses the
tolerance stored in reference.json.
"""
import json
import os
import sys
import time

import cv2
import numpy as np


def pattern_bgr(size):
    y, x = np.mgrid[0:size, 0:size]
    rgb = np.stack([(3 * x + 5 * y + 85 * c + 4 * ((x * y) % 31)) % 256 for c in range(3)], axis=-1)
    return np.ascontiguousarray(rgb[:, :, ::-1].astype(np.uint8))


def load_image(data_dir, spec):
    if "pattern" in spec:
        return pattern_bgr(spec["pattern"])
    img = cv2.imread(os.path.join(data_dir, spec["file"]), cv2.IMREAD_COLOR)
    if img is None:
        sys.exit("cannot read " + spec["file"])
    return img


def compare(got, ref):
    """(kind, got, want) for everything the reference keeps; kind is 'value' or 'sum'."""
    got = got.reshape(ref["shape"]).astype(np.float64)
    pairs = []
    if "values" in ref:
        pairs.append(("value", got.ravel(), np.array(ref["values"])))
    if "rows" in ref:
        rows = got.reshape(-1, ref["shape"][-1])
        for r in ref["rows"]:
            pairs.append(("value", rows[r["row"]], np.array(r["values"])))
        pairs.append(("sum", rows.sum(axis=0), np.array(ref["column_sum"])))
    pairs.append(("sum", np.array([got.sum(), np.abs(got).sum()]), np.array([ref["sum"], ref["abs_sum"]])))
    return pairs


def main():
    args = sys.argv[1:]
    runs = 20
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit("usage: check.py MODELS_DIR DATA_DIR [--runs N]")
    models_dir, data_dir = args
    cv2.setNumThreads(1)
    with open(os.path.join(models_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = {m["file"]: m for m in json.load(f)["models"]}
    with open(os.path.join(data_dir, "reference.json"), encoding="utf-8") as f:
        reference = json.load(f)

    ok = True
    print("OpenCV %s, %d thread(s)" % (cv2.__version__, cv2.getNumThreads()))
    for filename, cases in reference["models"].items():
        info = manifest[filename]
        tol = reference["tolerance"][filename]
        net = cv2.dnn.readNetFromONNX(os.path.join(models_dir, filename))
        inp = info["input"]
        _, _, h, w = inp["shape"]
        out_names = [o["name"] for o in info["outputs"]]
        worst_abs = 0.0
        worst_sum = 0.0
        worst_rel = 0.0
        for case in cases:
            img = load_image(data_dir, case["input"])
            blob = cv2.dnn.blobFromImage(img, inp["scalefactor"], (w, h), tuple(inp["mean_rgb"]),
                                         swapRB=True, crop=False)
            net.setInput(blob, inp["name"])
            outs = dict(zip(out_names, net.forward(out_names)))
            for name, ref in case["outputs"].items():
                for kind, got, want in compare(outs[name], ref):
                    d = np.abs(got - want)
                    if kind == "value":
                        worst_abs = max(worst_abs, float(d.max()))
                    else:
                        worst_sum = max(worst_sum, float((d / np.abs(want)).max()))
                    worst_rel = max(worst_rel, float((d / (tol["atol"] + tol["rtol"] * np.abs(want))).max()))
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            net.forward(out_names)
            times.append((time.perf_counter() - t0) * 1000)
        passed = worst_rel <= 1.0
        ok &= passed
        print("%-22s %s max abs diff %.2g, sums rel %.2g, %.2f of tolerance (atol %g rtol %g), "
              "median %.1f ms of %d runs"
              % (filename, "ok  " if passed else "FAIL", worst_abs, worst_sum, worst_rel,
                 tol["atol"], tol["rtol"], float(np.median(times)), runs))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
