#!/usr/bin/env python3
"""Writes the seed corpus for frame_fuzzer: reader answers as the SAM protocol frames them.
Independent of the C++ codec on purpose, so the seeds also check it."""
import pathlib
import struct

here = pathlib.Path(__file__).parent / "corpus" / "frame"


def frame(body: bytes) -> bytes:
    length = len(body) + 1
    b = bytes([length >> 8, length & 0xFF]) + body
    chk = 0
    for x in b:
        chk ^= x
    return bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69]) + b + bytes([chk])


def field(text: str, size: int) -> bytes:
    return (text.encode("utf-16-le") + " ".encode("utf-16-le") * size)[:size]


text = (field("陈晓明", 30) + field("1", 2) + field("01", 4) + field("19900307", 16)
        + field("广东省佛山市南海区桂城街道南海大道北88号", 70) + field("440605199003072315", 36)
        + field("佛山市公安局南海分局", 30) + field("20200115", 16) + field("20400115", 16)
        + field("", 28) + b" \x00" + field("", 6))
assert len(text) == 256
here.mkdir(parents=True, exist_ok=True)
(here / "read-resident.bin").write_bytes(
    frame(bytes([0, 0, 0x90]) + struct.pack(">HH", 256, 1024) + text + bytes(1024)))
(here / "find-ok.bin").write_bytes(frame(bytes([0, 0, 0x9F, 0, 0, 0, 0])))
(here / "read-failed.bin").write_bytes(frame(bytes([0, 0, 0x41])))
