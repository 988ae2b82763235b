#!/usr/bin/env python3
"""Cold start to the attract screen: `kiosk --screenshot` against headless Chromium rendering the
same screen as a page (tests/bench/attract.html), each run N times. Prints the median wall time
and the median peak of memory (proportional set size) summed over every process of the run
(Chromium runs a browser, a GPU, a network and a renderer process; the kiosk one).

    cold_start.py BIN_DIR KIOSK_CONFIG [N]       (N = 5 unless told)
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def tree_pss_kib(root_pid):
    """Memory of a process and all its descendants, in KiB: the proportional set size, so that
    the libraries and pages Chromium's processes share are counted once, not once each."""
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(pid))
        except OSError:
            continue
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def measure(argv):
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_pss_kib(proc.pid))
        time.sleep(0.005)
    took = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"cold_start: {argv[0]} exited {proc.returncode}")
    return took, peak


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    bin_dir, config = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    page = os.path.join(os.path.dirname(os.path.abspath(__file__)), "attract.html")
    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("cold_start: chromium is missing (Debian package chromium; ./dev installs it)")
    with tempfile.TemporaryDirectory(prefix="smzc-cold-") as scratch:
        cases = {
            "kiosk --screenshot": lambda i: [f"{bin_dir}/kiosk", "--config", config,
                                             "--screenshot", f"{scratch}/kiosk-{i}.png"],
            "headless Chromium": lambda i: [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={scratch}/profile-{i}",
                "--window-size=1280,800", f"--screenshot={scratch}/chromium-{i}.png",
                "file://" + page],
        }
        for name, argv in cases.items():
            times, peaks = zip(*(measure(argv(i)) for i in range(runs)))
            print(f"{name:22} median {statistics.median(times):.2f} s, "
                  f"peak memory median {statistics.median(peaks) / 1024:.0f} MiB "
                  f"({runs} cold starts)")


if __name__ == "__main__":
    main()
