#!/usr/bin/env python3
"""Checks that the source tree's layers point one way (docs/architecture.md):

    kiosk -> ui -> services -> drivers, certs, face -> base;  backend -> certs, face -> base;
    fleet -> base

A file may include headers from its own folder and the folders below it, never from above; Qt
appears only in ui/ and kiosk/ (and their tests); and the production libraries never include a
simulator or a fake (only the demo, smzc-sim and the tests may).

    check_layers.py [ROOT]      check the tree at ROOT (default: this repository); exit 1 on any
                                violation, one line each
    check_layers.py --self-test plant violations in a scratch tree and check they are caught
"""
import pathlib
import re
import sys
import tempfile

ALLOWED = {
    "base": {"base"},
    "drivers": {"base", "drivers"},
    "face": {"base", "face"},
    "certs": {"base", "certs"},
    "services": {"base", "drivers", "certs", "face", "services"},
    "backend": {"base", "certs", "face", "backend"},
    "fleet": {"base", "fleet"},
    "ui": {"base", "drivers", "certs", "face", "services", "ui"},
    "kiosk": {"base", "drivers", "certs", "face", "services", "backend", "fleet", "ui", "kiosk"},
}
QT_ALLOWED = {"ui", "kiosk"}
SIMULATOR_HEADERS = {"drivers/idcard/simulator.h", "drivers/printer/ippeve.h", "drivers/fakes.h",
                     "drivers/camera/scenes.h", "drivers/idcard/sim_photo.h"}
# The only production-tree files that may include a simulator: they are never installed.
SIMULATOR_USERS = {"drivers/idcard/simulator.cpp", "drivers/printer/ippeve.cpp", "drivers/fakes.cpp",
                   "drivers/idcard/sim_photo.cpp", "drivers/idcard/sim_wlt_module.cpp",
                   "kiosk/demo.h", "kiosk/demo.cpp", "kiosk/demo_main.cpp", "kiosk/sim_main.cpp"}

LOCAL_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s*<(Q[A-Za-z]*|Qt[A-Za-z]*/[^>]*)>')


def violations(root):
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".h", ".cpp"} or not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        layer = rel.split("/", 1)[0]
        if layer not in ALLOWED:
            continue  # tests/, build trees and anything else may use every layer
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            where = f"{rel}:{number}"
            local = LOCAL_INCLUDE.match(line)
            if local:
                target = local.group(1)
                target_layer = target.split("/", 1)[0]
                if target_layer in ALLOWED and target_layer not in ALLOWED[layer]:
                    found.append(f"{where}: {layer}/ includes {target} ({target_layer}/ is above "
                                 f"{layer}/ or beside it)")
                if target in SIMULATOR_HEADERS and rel not in SIMULATOR_USERS:
                    found.append(f"{where}: {rel} includes the simulator {target}; only the demo, "
                                 "smzc-sim and tests may")
            if SYSTEM_INCLUDE.match(line) and layer not in QT_ALLOWED:
                found.append(f"{where}: Qt in {layer}/ (Qt stays in ui/ and kiosk/)")
    return found


def self_test():
    with tempfile.TemporaryDirectory() as scratch:
        root = pathlib.Path(scratch)
        files = {
            "base/status.h": '#include <string>\n',
            "drivers/device.h": '#include "base/status.h"\n',
            "services/engine.h": '#include "drivers/device.h"\n#include "certs/certificate.h"\n',
            "ui/window.h": '#include <QWidget>\n#include "services/engine.h"\n',
        }
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        if violations(root):
            print("self-test: a clean tree was flagged:", violations(root))
            return 1
        planted = {
            "drivers/upward.cpp": ('#include "services/engine.h"\n', "drivers/ includes services/"),
            "base/qt.cpp": ('#include <QtCore/QString>\n', "Qt in base/"),
            "services/sim.cpp": ('#include "drivers/fakes.h"\n', "includes the simulator"),
            "backend/device.cpp": ('#include "drivers/device.h"\n', "backend/ includes drivers/"),
        }
        for name, (text, expected) in planted.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
            found = violations(root)
            if not any(expected in v and name in v for v in found):
                print(f"self-test: {name} was not caught as '{expected}': {found}")
                return 1
            (root / name).unlink()
    print("self-test: every planted violation was caught")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    root = pathlib.Path(argv[1]) if len(argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    found = violations(root)
    for v in found:
        print(v)
    print(f"layers: {len(found)} violation(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
