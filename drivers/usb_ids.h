// The USB devices the drivers open, by vendor and product id: the udev rules that let the kiosk's
// user open them are generated from this table (`kioskctl udev rules`), so a reader added here is
// a reader the installed terminal can use.
#pragma once

#include <cstdint>
#include <span>

namespace smzc {

struct UsbDeviceId {
  uint16_t vendor;
  uint16_t product;
  /// How the driver reaches it: "usb" through libusb (the device node is opened), "tty" as a
  /// serial port (a SAM reader behind a USB serial bridge, linked as /dev/smzc-idcard).
  const char* path;
  const char* what;
};

inline constexpr UsbDeviceId kIdcardUsbReader{0x0400, 0xc35a, "usb",
                                              "ID-card reader on bulk USB (iDR200 style)"};

/// Every device in the drivers' tables.
inline constexpr UsbDeviceId kUsbDeviceIds[] = {
    kIdcardUsbReader,
    // SAM readers (GA 467 frames over a serial line) ship with these bridges.
    {0x1a86, 0x7523, "tty", "ID-card SAM reader on a CH340 serial bridge"},
    {0x067b, 0x2303, "tty", "ID-card SAM reader on a PL2303 serial bridge"},
    {0x10c4, 0xea60, "tty", "ID-card SAM reader on a CP210x serial bridge"},
    {0x0403, 0x6001, "tty", "ID-card SAM reader on an FTDI serial bridge"},
};

}  // namespace smzc
