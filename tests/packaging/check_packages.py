#!/usr/bin/env python3
"""The Debian packages `./dev package` made, checked as a district would meet them.

Usage: check_packages.py PACKAGES_DIR SOURCE_DIR

Each package's files, permissions, dependencies and maintainer scripts; the units verified by
`systemd-analyze verify` in a scratch root the packages are unpacked into; the packaged kioskctl
validating the packaged configuration and printing the packaged udev rules; the keys sealed with
systemd-creds and opened as the units' LoadCredentialEncrypted= lines say; and the packaged
backend started with its unit's ExecStart command line, answering over HTTPS with mutual TLS; and
the packaged demo printing a genuine certificate against that backend, and on its own.
Any failure is one line saying what is wrong; nothing is skipped.
"""
import glob
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile

PACKAGES, SOURCE = sys.argv[1], sys.argv[2]
failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


def run(*args, timeout=60, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


def deb(name):
    found = glob.glob(os.path.join(PACKAGES, f"{name}_*.deb"))
    if not found:
        sys.exit(f"FAIL: no {name} package in {PACKAGES}: run ./dev package (./dev test does)")
    return found[0]


EXPECTED = {
    "smzc-terminal": {
        "files": ["/usr/bin/kiosk", "/usr/bin/kioskctl", "/etc/smzc/kiosk.json",
                  "/usr/lib/smzc/modules/libsmzc_opencv_io.so",
                  "/usr/lib/systemd/system/smzc-kiosk.service",
                  "/usr/lib/systemd/system/smzc-kiosk-x11.service",
                  "/usr/lib/sysusers.d/smzc.conf", "/usr/lib/udev/rules.d/70-smzc.rules",
                  "/usr/share/smzc/certs/templates/generic.json",
                  "/usr/share/doc/smzc-terminal/deployment.md",
                  "/usr/share/doc/smzc-terminal/copyright",
                  "/usr/share/doc/smzc-terminal/changelog.gz",
                  "/usr/share/man/man1/kiosk.1.gz", "/usr/share/man/man1/kioskctl.1.gz"],
        "depends": ["systemd", "udev", "fonts-noto-cjk", "libc6", "libqt6widgets6",
                    "libsystemd0", "libcups2", "libusb-1.0-0", "smzc-face-models"],
        "scripts": ["postinst", "prerm"],
        "conffiles": ["/etc/smzc/kiosk.json"],
    },
    "smzc-backend": {
        "files": ["/usr/bin/smzc-backend", "/etc/smzc/backend.env",
                  "/usr/lib/systemd/system/smzc-backend.service",
                  "/usr/lib/sysusers.d/smzc-backend.conf",
                  "/usr/share/smzc/backend/data/catalogue.json",
                  "/usr/share/smzc/backend/data/register.json",
                  "/usr/share/smzc/docs/backend-openapi.yaml",
                  "/usr/share/doc/smzc-backend/copyright",
                  "/usr/share/man/man1/smzc-backend.1.gz",
                  "/usr/bin/smzc-fleet", "/etc/smzc/fleet.env",
                  "/usr/lib/systemd/system/smzc-fleet.service",
                  "/usr/share/doc/smzc-backend/fleet.md",
                  "/usr/share/man/man1/smzc-fleet.1.gz"],
        "depends": ["systemd", "libc6", "libpq5", "libsqlite3-0", "libssl3", "libmosquitto1",
                    "smzc-face-models"],
        "scripts": ["postinst", "prerm"],
        "conffiles": ["/etc/smzc/backend.env", "/etc/smzc/fleet.env"],
    },
    "smzc-simulators": {
        "files": ["/usr/bin/smzc-demo", "/usr/bin/smzc-sim", "/usr/bin/smzc-fleet-sim",
                  "/usr/share/smzc/drivers/idcard/sim/cards/resident.json",
                  "/usr/share/smzc/drivers/printer/sim/ippeve-command.sh",
                  "/usr/share/smzc/packaging/make-dev-pki.sh",
                  "/usr/lib/smzc/modules/libsmzc_sim_wlt.so",
                  "/usr/share/doc/smzc-simulators/copyright",
                  "/usr/share/man/man1/smzc-demo.1.gz"],
        "depends": ["smzc-terminal", "smzc-backend", "cups-ipp-utils"],
        "scripts": [],
        "conffiles": [],
    },
    "smzc-face-models": {
        "files": ["/usr/share/smzc/face-models/manifest.json",
                  "/usr/share/smzc/face-models/blazeface.onnx",
                  "/usr/share/smzc/face-models/facemesh.onnx",
                  "/usr/share/smzc/face-models/face-recognition.onnx",
                  "/usr/share/doc/smzc-face-models/copyright",
                  "/usr/share/doc/smzc-face-models/changelog.gz"],
        "depends": [],
        "scripts": [],
        "conffiles": [],
    },
}
# Files a terminal must never carry: the simulators and demo belong to their own package.
NEVER_IN = {"smzc-terminal": ["/usr/bin/smzc-demo", "/usr/bin/smzc-sim", "/usr/bin/smzc-backend",
                              "/usr/bin/smzc-fleet", "/usr/bin/smzc-fleet-sim"],
            "smzc-backend": ["/usr/bin/kiosk", "/usr/bin/smzc-demo"]}

root = tempfile.mkdtemp(prefix="smzc-root-")
try:
    for name, want in EXPECTED.items():
        path = deb(name)
        listing = run("dpkg-deb", "-c", path).stdout.splitlines()
        files = {}
        for line in listing:
            parts = line.split()
            mode, owner, entry = parts[0], parts[1], parts[-1].lstrip(".")
            if not mode.startswith("d"):
                files[entry] = (mode, owner)
        for f in want["files"]:
            check(f in files, f"{name}: {f} is missing")
        for f in NEVER_IN.get(name, []):
            check(f not in files, f"{name}: holds {f}, which is another package's")
        for f, (mode, owner) in files.items():
            check(owner == "root/root", f"{name}: {f} is owned by {owner}")
            check(mode[5] != "w" and mode[8] != "w", f"{name}: {f} is writable by others ({mode})")
            check("s" not in mode, f"{name}: {f} is setuid or setgid ({mode})")
            if f.startswith("/usr/bin/"):
                check(mode == "-rwxr-xr-x", f"{name}: {f} is {mode}, not -rwxr-xr-x")
            elif not f.endswith(".sh"):
                check(mode == "-rw-r--r--", f"{name}: {f} is {mode}, not -rw-r--r--")
        depends = run("dpkg-deb", "-f", path, "Depends").stdout
        for d in want["depends"]:
            check(re.search(rf"(^|, ){re.escape(d)}( |,|$)", depends),
                  f"{name}: does not depend on {d} ({depends.strip()})")
        control = os.path.join(root, "control-" + name)
        run("dpkg-deb", "-e", path, control)
        for script in want["scripts"]:
            s = os.path.join(control, script)
            if not check(os.path.exists(s), f"{name}: no {script}"):
                continue
            check(os.stat(s).st_mode & 0o777 == 0o755, f"{name}: {script} is not 0755")
            text = open(s).read()
            check(text.startswith("#!/bin/sh\n") and "\nset -e\n" in text,
                  f"{name}: {script} is not a /bin/sh script with set -e")
            check(run("sh", "-n", s).returncode == 0, f"{name}: {script} does not parse")
        conffiles = open(os.path.join(control, "conffiles")).read().split() \
            if os.path.exists(os.path.join(control, "conffiles")) else []
        check(conffiles == want["conffiles"], f"{name}: conffiles are {conffiles}")
        for c in conffiles:
            check(c in files, f"{name}: conffile {c} is not in the package")
        run("dpkg-deb", "-x", path, root)

    # Debian's own checker, with nothing to say (an override would have to say why here).
    lint = run("lintian", "--fail-on", "error,warning", "--tag-display-limit", "0",
               *sorted(glob.glob(os.path.join(PACKAGES, "*.deb"))), timeout=240)
    tags = [line for line in lint.stdout.splitlines() if re.match(r"^[EW]: ", line)]
    check(lint.returncode == 0 and not tags, "lintian: " + " | ".join(tags or [lint.stderr.strip()]))

    # The units, as systemd would read them in a root holding the packages (and systemd's own
    # units). cage and xinit are Recommends/Suggests, not installed here: placeholders stand in so
    # that the verifier checks everything else.
    shutil.copytree("/usr/lib/systemd/system", os.path.join(root, "usr/lib/systemd/system"),
                    dirs_exist_ok=True, symlinks=True)
    for program in ("cage", "xinit"):
        p = os.path.join(root, "usr/bin", program)
        if not os.path.exists(p):
            with open(p, "w") as f:
                f.write("#!/bin/sh\nexit 0\n")
            os.chmod(p, 0o755)
    units = ["smzc-kiosk.service", "smzc-kiosk-x11.service", "smzc-backend.service",
             "smzc-fleet.service"]
    verify = run("systemd-analyze", "verify", f"--root={root}", *units)
    check(verify.returncode == 0 and not verify.stdout.strip() and not verify.stderr.strip(),
          "systemd-analyze verify: " + (verify.stdout + verify.stderr).strip())
    kiosk_unit = open(os.path.join(root, "usr/lib/systemd/system/smzc-kiosk.service")).read()
    for directive in ["Type=notify", "WatchdogSec=", "Restart=always", "User=smzc",
                      "ProtectSystem=strict", "PrivateTmp=yes", "NoNewPrivileges=yes",
                      "ProtectHome=yes", "ReadWritePaths=/var/lib/smzc", "LimitCORE=0",
                      "LoadCredentialEncrypted=terminal.key:", "LoadCredentialEncrypted=data.key:",
                      "KillMode=control-group", "NotifyAccess=all"]:
        check(re.search(rf"^{re.escape(directive)}", kiosk_unit, re.M),
              f"smzc-kiosk.service: no {directive}")

    # The packaged kioskctl, from the root, finds its data there and accepts the packaged
    # configuration; the packaged udev rules are what it generates.
    kioskctl = os.path.join(root, "usr/bin/kioskctl")
    valid = run(kioskctl, "config", "validate", "--config", os.path.join(root, "etc/smzc/kiosk.json"))
    check(valid.returncode == 0, "the packaged kiosk.json does not validate: " + valid.stderr.strip())
    rules = open(os.path.join(root, "usr/lib/udev/rules.d/70-smzc.rules")).read()
    check(rules == run(kioskctl, "udev", "rules").stdout, "70-smzc.rules is not kioskctl's output")
    check('ATTRS{idVendor}=="0400", ATTRS{idProduct}=="c35a"' in rules,
          "70-smzc.rules does not give the USB reader (0400:c35a) to the kiosk")

    def demo_prints(extra, how):
        """The packaged demo, from the scratch root (its simulators and the data under
        usr/share/smzc): the whole citizen journey to a certificate that checks."""
        demo_out = os.path.join(root, "demo-out")
        shutil.rmtree(demo_out, ignore_errors=True)
        demo_env = {k: v for k, v in os.environ.items() if k != "SMZC_DATA_DIR"}
        demo = run(os.path.join(root, "usr/bin/smzc-demo"), "--headless", "--out", demo_out,
                   *extra, timeout=180, cwd=root, env=demo_env)
        summary_path = os.path.join(demo_out, "summary.json")
        summary = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
        check(demo.returncode == 0 and summary.get("status") == "printed" and
              summary.get("certificate_check") == "genuine",
              f"the packaged demo {how} did not print a genuine certificate "
              f"(exit {demo.returncode}): {summary} {demo.stderr[-2000:]}")

    # Both kiosk units hand the kiosk the credentials the packaged kiosk.json names
    # ("credential:NAME"), and nothing else.
    wanted = set(re.findall(r'"credential:([^"]+)"',
                            open(os.path.join(root, "etc/smzc/kiosk.json")).read()))
    check(wanted == {"terminal.key", "data.key"},
          f"kiosk.json does not take its keys from systemd credentials: {sorted(wanted)}")
    for name in ("smzc-kiosk.service", "smzc-kiosk-x11.service"):
        text = open(os.path.join(root, "usr/lib/systemd/system", name)).read()
        loaded = set(re.findall(r"^LoadCredentialEncrypted=([^:]+):", text, re.M))
        check(loaded == wanted, f"{name} loads credentials {sorted(loaded)}, "
              f"kiosk.json reads {sorted(wanted)}")

    # The backend's keys sealed with systemd-creds as docs/deployment.md says, to a host key of
    # this scratch root's own ($SYSTEMD_CREDENTIAL_SECRET; a TPM2 is not assumed), then opened
    # for each LoadCredentialEncrypted=NAME:FILE of the unit as systemd does when it starts the
    # service (this container's systemd is not PID 1): by name, into the credentials directory.
    unit = open(os.path.join(root, "usr/lib/systemd/system/smzc-backend.service")).read()
    exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1).split()
    credentials = os.path.join(root, "credentials")
    os.makedirs(credentials)
    host = dict(os.environ, SYSTEMD_CREDENTIAL_SECRET=os.path.join(root, "host.secret"))
    other_host = dict(os.environ, SYSTEMD_CREDENTIAL_SECRET=os.path.join(root, "other.secret"))
    # The other host gets its secret by sealing something of its own.
    subprocess.run(["systemd-creds", "encrypt", "--with-key=host", "--name=x", "-",
                    os.path.join(root, "other.cred")], input=b"x", capture_output=True,
                   env=other_host, timeout=60)
    check(os.path.exists(os.path.join(root, "other.secret")), "systemd-creds made no host secret")
    key = run("openssl", "genpkey", "-algorithm", "SM2")
    check(key.returncode == 0, "openssl cannot make an SM2 key: " + key.stderr)
    secrets = {"signing.key": key.stdout.encode(), "data.key": os.urandom(32)}
    loads = re.findall(r"^LoadCredentialEncrypted=([^:]+):(\S+)$", unit, re.M)
    check(sorted(n for n, _ in loads) == sorted(secrets),
          f"smzc-backend.service loads credentials {loads}")
    for name, sealed_path in (load for load in loads if load[0] in secrets):
        sealed = os.path.join(root, sealed_path.lstrip("/"))
        os.makedirs(os.path.dirname(sealed), exist_ok=True)
        made = subprocess.run(["systemd-creds", "encrypt", "--with-key=host", f"--name={name}",
                               "-", sealed], input=secrets[name], capture_output=True, env=host,
                              timeout=60)
        if not check(made.returncode == 0, f"systemd-creds encrypt {name}: {made.stderr}"):
            continue
        check(secrets[name] not in open(sealed, "rb").read(), f"{sealed_path} holds its key plain")
        opened = subprocess.run(["systemd-creds", "decrypt", f"--name={name}", sealed, "-"],
                                capture_output=True, env=host, timeout=60)
        check(opened.returncode == 0 and opened.stdout == secrets[name],
              f"{sealed_path} does not open as {name}: {opened.stderr}")
        with open(os.path.join(credentials, name), "wb") as f:
            f.write(opened.stdout)
        os.chmod(os.path.join(credentials, name), 0o400)
        # Sealed to this host under this name: another machine, or another name, gets nothing.
        elsewhere = subprocess.run(["systemd-creds", "decrypt", f"--name={name}", sealed, "-"],
                                   capture_output=True, env=other_host, timeout=60)
        check(elsewhere.returncode != 0 and not elsewhere.stdout,
              f"{sealed_path} opens with another host's key")
        renamed = subprocess.run(["systemd-creds", "decrypt", "--name=other.key", sealed, "-"],
                                 capture_output=True, env=host, timeout=60)
        check(renamed.returncode != 0, f"{sealed_path} opens under another name")

    # The packaged backend, started with its unit's command line: %d is the credentials
    # directory, $SMZC_BACKEND_OPTIONS the packaged backend.env with this test's TLS files.
    # The PKI names the demo terminal, whose journey runs against this backend below.
    pki = os.path.join(root, "pki")
    made = run(os.path.join(SOURCE, "packaging/make-dev-pki.sh"), pki, "SMZC-DEMO-0001")
    check(made.returncode == 0, "make-dev-pki.sh failed: " + made.stderr)
    env_file = open(os.path.join(root, "etc/smzc/backend.env")).read()
    options = re.search(r"^SMZC_BACKEND_OPTIONS=(.*)$", env_file, re.M).group(1)
    options = (options.replace("0.0.0.0", "127.0.0.1").replace("--port 8443", "--port 0")
               .replace("/var/lib/smzc-backend", root)
               .replace("/etc/smzc/backend/server.pem", os.path.join(pki, "server.pem"))
               .replace("/etc/smzc/backend/server.key", os.path.join(pki, "server.key"))
               .replace("/etc/smzc/backend/terminal-ca.pem", os.path.join(pki, "ca.pem")))
    # backend.env is the operator's: here it also makes the demo resident's e-ID code and writes
    # the issuing key the terminal trusts.
    resident = json.load(open(os.path.join(
        root, "usr/share/smzc/drivers/idcard/sim/cards/resident.json")))
    issuer_key = os.path.join(root, "issuer-public.pem")
    eid_code = os.path.join(root, "eid-code.txt")
    options += (f" --public-key-out {issuer_key} --demo-eid-out {eid_code} --demo-eid-for "
                f"{resident['id_number']}:{resident['name']}:{resident['valid_to']}")
    command = []
    for word in exec_start:
        if word == "$SMZC_BACKEND_OPTIONS":
            command += options.split()
        else:
            command.append(word.replace("%d", credentials))
    command[0] = os.path.join(root, command[0].lstrip("/"))
    backend = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # The backend prints where it listens once it does; a backend that dies ends the line.
        ready, _, _ = select.select([backend.stdout], [], [], 30)
        line = backend.stdout.readline() if ready else "(nothing within 30 s)\n"
        url = line.strip().removeprefix("listening on ")
        if check(url.startswith("https://"), "the packaged backend did not start: " + line +
                 (backend.stderr.read() if backend.poll() is not None else "")):
            health = run("curl", "-sS", "--max-time", "10", "--cacert", os.path.join(pki, "ca.pem"),
                         "--cert", os.path.join(pki, "terminal.pem"),
                         "--key", os.path.join(pki, "terminal.key"), url + "/v1/health")
            check('"ok"' in health.stdout,
                  "the packaged backend does not answer /v1/health: " + health.stdout + health.stderr)
            # The packaged terminal's demo against it: the citizen's whole journey.
            demo_prints(["--backend", url, "--backend-pki", pki, "--issuer-key", issuer_key,
                         "--eid-code", eid_code], "against the packaged backend")
    finally:
        backend.terminate()
        backend.wait(timeout=30)

    # The packaged demo on its own: it starts the packaged backend binary beside it.
    demo_prints([], "with its own backend")
finally:
    shutil.rmtree(root, ignore_errors=True)

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} problems in the packages in {PACKAGES}")
sys.exit(1 if failures else 0)
