#!/usr/bin/python3
"""Write the real-face test inputs for the face-model references as lossless PNG.

Usage: /usr/bin/python3 reference_inputs.py DATA_DIR   (run by hand, with python3-opencv,
python-matplotlib-data and opencv-doc installed)

JPEG decoders differ between node and OpenCV, so the JPEGs are decoded once here and
both sides read the PNGs. The crop boxes were found with OpenCV's
haarcascade_frontalface_alt2 (grace_hopper: x 145 y 99 size 239; messi5: x 226 y 93
size 39) and are fixed here so the files do not depend on the detector.
"""
import os
import sys

import cv2

GRACE = "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"  # python-matplotlib-data
MESSI = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"  # opencv-doc

# name: (source, x, y, size, output size, interpolation)
CROPS = {
    # whole portrait as a centred square, the way a detector sees a frame
    "grace_hopper_256.png": (GRACE, 0, 44, 512, 256, cv2.INTER_AREA),
    # face box enlarged 1.4x about its centre, as human crops for FaceMesh
    "grace_hopper_face_192.png": (GRACE, 97, 51, 335, 192, cv2.INTER_AREA),
    # the face box itself, as face-api crops for the recogniser
    "grace_hopper_face_150.png": (GRACE, 145, 99, 239, 150, cv2.INTER_AREA),
    "messi_face_150.png": (MESSI, 226, 93, 39, 150, cv2.INTER_LINEAR),
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: reference_inputs.py DATA_DIR")
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for name, (src, x, y, size, out, interp) in CROPS.items():
        img = cv2.imread(src, cv2.IMREAD_COLOR)
        if img is None:
            sys.exit("cannot read " + src)
        h, w = img.shape[:2]
        if x < 0 or y < 0 or x + size > w or y + size > h:
            sys.exit("%s: crop outside %s" % (name, src))
        crop = cv2.resize(img[y:y + size, x:x + size], (out, out), interpolation=interp)
        cv2.imwrite(os.path.join(out_dir, name), crop, [cv2.IMWRITE_PNG_COMPRESSION, 9])
        print("wrote", os.path.join(out_dir, name))


if __name__ == "__main__":
    main()
