#!/usr/bin/env python3
"""Writes the ID-card reader fixtures: the frame fuzzer's seed corpus and a umockdev recording of
a USB reader (0400:c35a) that answers find, select, read and SAM id for the demo resident card.

Independent of the C++ codec on purpose, so the fixtures also check it. Run it from anywhere;
it writes into tests/fuzz/corpus/frame and tests/data/usb."""
import pathlib
import struct

tests = pathlib.Path(__file__).resolve().parent.parent


def frame(body: bytes) -> bytes:
    length = len(body) + 1
    b = bytes([length >> 8, length & 0xFF]) + body
    chk = 0
    for x in b:
        chk ^= x
    return bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69]) + b + bytes([chk])


def command(cmd: int, para: int) -> bytes:
    return frame(bytes([cmd, para]))


def field(text: str, size: int) -> bytes:
    return (text.encode("utf-16-le") + " ".encode("utf-16-le") * size)[:size]


text = (field("陈晓明", 30) + field("1", 2) + field("01", 4) + field("19900307", 16)
        + field("广东省佛山市南海区桂城街道南海大道北88号", 70) + field("440605199003072315", 36)
        + field("佛山市公安局南海分局", 30) + field("20200115", 16) + field("20400115", 16)
        + field("", 28) + b" \x00" + field("", 6))
assert len(text) == 256
read_resident = frame(bytes([0, 0, 0x90]) + struct.pack(">HH", 256, 1024) + text + bytes(1024))
find_ok = frame(bytes([0, 0, 0x9F, 0, 0, 0, 0]))
select_ok = frame(bytes([0, 0, 0x90]) + bytes(8))
sam_id = frame(bytes([0, 0, 0x90]) + struct.pack("<HHIII", 5, 1, 12345, 1234, 5678))

corpus = tests / "fuzz" / "corpus" / "frame"
corpus.mkdir(parents=True, exist_ok=True)
(corpus / "read-resident.bin").write_bytes(read_resident)
(corpus / "find-ok.bin").write_bytes(find_ok)
(corpus / "read-failed.bin").write_bytes(frame(bytes([0, 0, 0x41])))

# umockdev (0.17) usbdevfs script: each REAPURBNDELAY line is one bulk URB, "ret type endpoint
# status flags buffer_length actual_length error_count data"; an answer longer than one 64-byte
# IN packet takes one line per packet, each nested one space deeper.
OUT, IN, PACKET = 2, 0x81, 64


def exchange(cmd: bytes, answer: bytes) -> list:
    lines = [f"USBDEVFS_REAPURBNDELAY 0 3 {OUT} 0 0 {len(cmd)} {len(cmd)} 0 {cmd.hex().upper()}"]
    for depth, at in enumerate(range(0, len(answer), PACKET), start=1):
        chunk = answer[at:at + PACKET]
        lines.append(" " * depth + f"USBDEVFS_REAPURBNDELAY 0 3 {IN} 0 0 {PACKET} {len(chunk)} 0 "
                     + chunk.hex().upper())
    return lines


script = ["@DEV /dev/bus/usb/001/002 (usbdevfs)"]
script += exchange(command(0x12, 0xFF), sam_id)
script += exchange(command(0x20, 0x01), find_ok)
script += exchange(command(0x20, 0x02), select_ok)
script += exchange(command(0x30, 0x01), read_resident)
usb = tests / "data" / "usb"
usb.mkdir(parents=True, exist_ok=True)
(usb / "idr200-resident.ioctl").write_text("\n".join(script) + "\n")

# The device: device, configuration, interface (vendor class) and two bulk endpoint descriptors.
descriptors = (bytes.fromhex("12010002000000400004") + bytes.fromhex("5AC3") + bytes.fromhex("000100000001")
               + bytes.fromhex("0902200001010080320904000002FF0000000705020240000007058102400000"))
assert len(descriptors) == 50
hexd = descriptors.hex().upper()
(usb / "idr200.umockdev").write_text(f"""P: /devices/pci0000:00/0000:00:14.0/usb1/1-1
N: bus/usb/001/002={hexd}
E: BUSNUM=001
E: DEVNAME=/dev/bus/usb/001/002
E: DEVNUM=002
E: DEVTYPE=usb_device
E: DRIVER=usb
E: ID_BUS=usb
E: ID_MODEL_ID=c35a
E: ID_VENDOR_ID=0400
E: MAJOR=189
E: MINOR=1
E: PRODUCT=400/c35a/100
E: SUBSYSTEM=usb
E: TYPE=0/0/0
A: authorized=1
A: bConfigurationValue=1
A: bDeviceClass=00
A: bDeviceProtocol=00
A: bDeviceSubClass=00
A: bMaxPacketSize0=64
A: bMaxPower=100mA
A: bNumConfigurations=1
A: bNumInterfaces= 1
A: bcdDevice=0100
A: bmAttributes=80
A: busnum=1\\n
H: descriptors={hexd}
A: dev=189:1
A: devnum=2\\n
A: devpath=1
A: idProduct=c35a
A: idVendor=0400
A: maxchild=0
A: removable=unknown
A: speed=12\\n
A: version= 2.00

""")
