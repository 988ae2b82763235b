#!/usr/bin/env python3
"""The fleet page in headless Chromium, against a real mosquitto broker, the fleet service and
300 simulated terminals (smzc-fleet-sim), driven over WebDriver (chromedriver).

    fleet_page_test.py BIN_DIR OUT_DIR            the test: exit 1 on the first failure
    fleet_page_test.py BIN_DIR OUT_DIR --bench N  also N jams on N terminals, timed from the
                                                  terminal's report to the page showing it, and
                                                  the fleet service's messages per second

Checks: all 300 terminals are listed with their counts; a jam raised on one terminal appears on
its row (its latency is printed, not asserted); a report carrying markup is shown as text and
runs nothing; killing the simulator (no goodbye) turns every terminal offline through the wills.
Every wait has a deadline; a missing part (mosquitto, chromium, chromedriver) fails naming the
Debian package.
"""
import base64
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

DEADLINE_S = 30


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def need(path, package):
    if not shutil.which(path):
        fail(f"{path} is missing (Debian package {package}; `./dev test` installs it)")
    return shutil.which(path)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port):
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    fail(f"nothing listens on port {port} after {DEADLINE_S} s")


def read_line(proc, what):
    """The process's next stdout line, within the deadline."""
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    if not sel.select(timeout=DEADLINE_S):
        fail(f"{what} said nothing within {DEADLINE_S} s")
    line = proc.stdout.readline()
    if not line:
        fail(f"{what} exited (status {proc.poll()})")
    return line.strip()


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=DEADLINE_S) as res:
        return json.loads(res.read() or b"null")


class Browser:
    """Headless Chromium through chromedriver's WebDriver endpoint."""

    def __init__(self, scratch):
        driver = need("chromedriver", "chromium-driver")
        browser = need("chromium", "chromium")
        port = free_port()
        self.proc = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_port(port)
        self.base = f"http://127.0.0.1:{port}"
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                f"--user-data-dir={scratch}/chromium-profile"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": browser, "args": args}}}}
        self.session = http("POST", self.base + "/session", caps)["value"]["sessionId"]
        self.url = f"{self.base}/session/{self.session}"

    def go(self, url):
        http("POST", self.url + "/url", {"url": url})

    def js(self, script):
        return http("POST", self.url + "/execute/sync", {"script": script, "args": []})["value"]

    def wait(self, script, what):
        end = time.monotonic() + DEADLINE_S
        while time.monotonic() < end:
            if self.js(script):
                return
            time.sleep(0.02)
        fail(f"{what}: not seen within {DEADLINE_S} s")

    def screenshot(self, path):
        png = http("GET", self.url + "/screenshot")["value"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def close(self):
        try:
            http("DELETE", self.url)
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=DEADLINE_S)


def row_has(terminal, text):
    return (f"const r = [...document.querySelectorAll('tr.terminal')].find("
            f"t => t.children[0].textContent === {json.dumps(terminal)});"
            f"return !!r && r.textContent.includes({json.dumps(text)});")


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    bin_dir, out_dir = sys.argv[1], sys.argv[2]
    bench = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--bench" else 0
    mosquitto = "/usr/sbin/mosquitto"
    if not os.path.exists(mosquitto):
        fail("/usr/sbin/mosquitto is missing (Debian package mosquitto; `./dev test` installs it)")
    publish = need("mosquitto_pub", "mosquitto-clients")
    os.makedirs(out_dir, exist_ok=True)
    procs = []
    with tempfile.TemporaryDirectory(prefix="smzc-fleet-") as scratch:
        try:
            broker_port = free_port()
            with open(f"{scratch}/mosquitto.conf", "w") as f:
                f.write(f"listener {broker_port} 127.0.0.1\nallow_anonymous true\n"
                        "persistence false\nmax_queued_messages 100000\n")
            procs.append(subprocess.Popen([mosquitto, "-c", f"{scratch}/mosquitto.conf"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_port(broker_port)
            fleet = subprocess.Popen([f"{bin_dir}/smzc-fleet", "--port", "0", "--broker-port",
                                      str(broker_port)], stdout=subprocess.PIPE, text=True)
            procs.append(fleet)
            url = read_line(fleet, "smzc-fleet").split()[-1]
            sim = subprocess.Popen([f"{bin_dir}/smzc-fleet-sim", "--terminals", "300",
                                    "--broker-port", str(broker_port), "--interval", "60"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            procs.append(sim)
            if read_line(sim, "smzc-fleet-sim") != "ready 300":
                fail("the simulator did not bring up 300 terminals")

            browser = Browser(scratch)
            try:
                browser.go(url)
                browser.wait("return window.fleetStats && window.fleetStats.rows === 300 && "
                             "document.getElementById('link').dataset.up === 'true'",
                             "300 terminals and a live link")
                rows = browser.js("return document.querySelectorAll('tr.terminal').length")
                total = browser.js("return document.getElementById('n-total').textContent")
                online = browser.js("return document.getElementById('n-online').textContent")
                if rows != 300 or total != "300" or online != "300":
                    fail(f"expected 300 rows, all online; saw {rows} rows, {total} total, "
                         f"{online} online")
                print("ok: 300 terminals listed, all online")

                def jam(terminal):
                    sim.stdin.write(f"jam {terminal}\n")
                    sim.stdin.flush()
                    if read_line(sim, "smzc-fleet-sim") != f"ok jam {terminal}":
                        fail(f"the simulator could not jam {terminal}")
                    browser.wait(row_has(terminal, "paper_jam"), f"the jam on {terminal}")
                    last = browser.js("return window.fleetStats.lastEvent")
                    if last["terminal"] != terminal:
                        # Another event came after: the latency of this one is not known.
                        return None
                    return last["shown_at_ms"] - last["sent_at_ms"]

                latency = jam("SMZC-SIM-0042")
                print(f"ok: a jam on SMZC-SIM-0042 is shown on its row "
                      f"({latency} ms from the terminal's report to the page)")
                browser.screenshot(f"{out_dir}/fleet-page.png")

                # A report is outside input: markup in it is shown as text and runs nothing.
                evil = json.dumps({"terminal": "EVIL-1", "interval_s": 60,
                                   "site": {"kind": "<b id=injected>bank</b>",
                                            "branding": "<img src=x onerror=\"window.pwned=1\">"},
                                   "devices": {"<img src=y onerror=\"window.pwned=2\">":
                                               {"state": "online"}},
                                   "alerts": [{"code": "<i id=injected2>x</i>",
                                               "severity": "critical"}]})
                subprocess.run([publish, "-p", str(broker_port), "-t",
                                "smzc/v1/440605/EVIL-1/state", "-m", evil], check=True,
                               timeout=DEADLINE_S)
                browser.wait(row_has("EVIL-1", "onerror"), "the report carrying markup")
                if browser.js("return window.pwned !== undefined || "
                              "document.querySelector('#rows img, #injected, #injected2') !== null"):
                    fail("markup in a terminal's report became part of the page")
                print("ok: markup in a report is shown as text")

                if bench:
                    latencies = []
                    for n in range(1, bench + 1):
                        value = jam(f"SMZC-SIM-{100 + n:04d}")
                        if value is not None:
                            latencies.append(value)
                    latencies.sort()
                    print(f"bench: jam to page over {len(latencies)} jams: median "
                          f"{statistics.median(latencies)} ms, max {latencies[-1]} ms")
                    before = http("GET", url + "/api/stats")["messages"]
                    flood = 20000
                    start = time.monotonic()
                    sim.stdin.write(f"flood {flood}\n")
                    sim.stdin.flush()
                    if not read_line(sim, "smzc-fleet-sim").startswith("ok flood"):
                        fail("the simulator could not flood")
                    end = time.monotonic() + DEADLINE_S
                    while http("GET", url + "/api/stats")["messages"] < before + flood:
                        if time.monotonic() > end:
                            fail("the fleet service did not take the flood in time")
                        time.sleep(0.01)
                    took = time.monotonic() - start
                    print(f"bench: the fleet service applied {flood} reports from 300 terminals "
                          f"in {took:.2f} s: {flood / took:,.0f} messages/s (the page open)")

                # Killed without a goodbye: the broker publishes every terminal's will.
                sim.send_signal(signal.SIGKILL)
                sim.wait(timeout=DEADLINE_S)
                browser.wait("return document.getElementById('n-offline').textContent === '300'",
                             "300 terminals offline after the simulator was killed")
                if not browser.js(row_has("SMZC-SIM-0001", "terminal_offline")):
                    fail("an offline terminal does not show its alert")
                print("ok: a terminal killed without goodbye shows offline through its last will")
                browser.screenshot(f"{out_dir}/fleet-page-offline.png")
            finally:
                browser.close()
        finally:
            for p in reversed(procs):
                if p.poll() is None:
                    p.terminate()
                    try:
                        p.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        p.kill()
    print("PASS")


if __name__ == "__main__":
    main()
