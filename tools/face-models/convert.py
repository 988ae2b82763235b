#!/usr/bin/python3
"""Convert the face models pinned in models.lock.json to ONNX for OpenCV 4.6 dnn.

Usage: /usr/bin/python3 convert.py TARBALL_DIR OUT_DIR

Needs only Debian's python3-onnx and python3-numpy. Writes blazeface.onnx,
facemesh.onnx, face-recognition.onnx and manifest.json into OUT_DIR. The same
tarballs always give byte-identical files.

OpenCV 4.6's ONNX importer sets the limits followed here: opset 10 (Pad and
Clip with attributes), Gemm with B as [out, in] and transB=1, declared shapes
on graph outputs, TF "SAME" padding as auto_pad SAME_UPPER.
"""
import base64
import hashlib
import io
import json
import os
import sys
import tarfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
LOCK = os.path.join(HERE, "models.lock.json")
OPSET = 10


def fail(msg):
    sys.exit("convert.py: ERROR: " + msg)


class Package:
    """One pinned tarball; hands out only the files the lock lists."""

    def __init__(self, entry, tarball_dir):
        self.spec = "%s@%s" % (entry["name"], entry["version"])
        self.entry = entry
        path = os.path.join(tarball_dir, entry["tarball"])
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            fail("%s: %s (run fetch.sh first)" % (self.spec, e))
        digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        if digest != entry["integrity"]:
            fail("%s: %s does not match the lock\n  expected %s\n  got      %s"
                 % (self.spec, path, entry["integrity"], digest))
        self.tar = tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")
        self.sha256 = {f["path"]: f["sha256"] for f in entry["files"]}

    def read(self, path):
        if path not in self.sha256:
            fail("%s: %s is not listed in models.lock.json" % (self.spec, path))
        data = self.tar.extractfile(path).read()
        if hashlib.sha256(data).hexdigest() != self.sha256[path]:
            fail("%s: %s does not match its sha256 in the lock" % (self.spec, path))
        return data


def load_packages(tarball_dir):
    with open(LOCK, encoding="utf-8") as f:
        lock = json.load(f)
    return {p["name"]: Package(p, tarball_dir) for p in lock["packages"]}


def decode_weights(manifest, read_shard):
    """tfjs weights manifest + shards -> {name: float32/int32 array}, dequantised the way tfjs does."""
    weights = {}
    for group in manifest:
        buf = b"".join(read_shard(p) for p in group["paths"])
        off = 0
        for w in group["weights"]:
            shape = [int(d) for d in w["shape"]]
            n = int(np.prod(shape, dtype=np.int64))
            q = w.get("quantization")
            if q is None:
                dt = {"float32": "<f4", "int32": "<i4"}[w["dtype"]]
                arr = np.frombuffer(buf, dt, n, off)
                off += 4 * n
            elif q["dtype"] in ("uint8", "uint16") and w["dtype"] == "float32":
                dt = "<u1" if q["dtype"] == "uint8" else "<u2"
                raw = np.frombuffer(buf, dt, n, off)
                off += raw.itemsize * n
                # tfjs computes v * scale + min in double and stores it as float32.
                arr = (raw.astype(np.float64) * q["scale"] + q["min"]).astype(np.float32)
            elif q["dtype"] == "float16" and w["dtype"] == "float32":
                arr = np.frombuffer(buf, "<f2", n, off).astype(np.float32)
                off += 2 * n
            else:
                fail("unsupported weight encoding %s for %s" % (q, w["name"]))
            weights[w["name"]] = arr.reshape(shape)
        if off != len(buf):
            fail("weights group %s: used %d of %d bytes" % (group["paths"], off, len(buf)))
    return weights


class Graph:
    def __init__(self):
        self.nodes = []
        self.initializers = []
        self.count = {}

    def fresh(self, prefix):
        n = self.count.get(prefix, 0)
        self.count[prefix] = n + 1
        return "%s_%d" % (prefix, n)

    def const(self, prefix, array):
        name = self.fresh(prefix)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, op_type, inputs, **attrs):
        out = self.fresh(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def conv(self, x, w_oihw, bias, strides, pad, group=1, dilations=(1, 1)):
        """pad is 'SAME' or a list [top, left, bottom, right]."""
        inputs = [x, self.const("w", w_oihw.astype(np.float32))]
        if bias is not None:
            inputs.append(self.const("b", bias.astype(np.float32)))
        attrs = dict(kernel_shape=list(w_oihw.shape[2:]), strides=list(strides),
                     dilations=list(dilations), group=group)
        if pad == "SAME":
            attrs["auto_pad"] = "SAME_UPPER"
        else:
            attrs["pads"] = list(pad)
        return self.op("Conv", inputs, **attrs)

    def model(self, inputs, outputs, doc):
        """inputs/outputs: [(name, shape)]. Output shapes come from ONNX shape inference when None."""
        graph = helper.make_graph(
            self.nodes, "main",
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n, _ in outputs],
            self.initializers)
        m = helper.make_model(graph, producer_name="tools/face-models/convert.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
        m.ir_version = 6
        m.doc_string = doc
        inferred = onnx.shape_inference.infer_shapes(m)
        known = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
        del m.graph.output[:]
        for name, shape in outputs:
            if shape is None:
                if name not in known:
                    fail("no inferred shape for output " + name)
                dims = [d.dim_value for d in known[name].type.tensor_type.shape.dim]
                if any(d <= 0 for d in dims):
                    fail("output %s has unknown dims %s" % (name, dims))
                shape = dims
            m.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))
        onnx.checker.check_model(m)
        return m


# ---------------------------------------------------------------- tfjs graph models

def _attr_ints(node, key):
    return [int(v) for v in node["attr"][key]["list"].get("i", [])]


def _attr_str(node, key):
    return base64.b64decode(node["attr"][key]["s"]).decode()


def _attr_strs(node, key):
    return [base64.b64decode(s).decode() for s in node["attr"][key]["list"].get("s", [])]


def _conv_pad(node):
    padding = _attr_str(node, "padding")
    if padding == "SAME":
        return "SAME"
    if padding == "VALID":
        return [0, 0, 0, 0]
    if padding == "EXPLICIT":
        p = _attr_ints(node, "explicit_paddings")  # NHWC pairs
        return [p[2], p[4], p[3], p[5]]
    fail("padding " + padding)


def _spatial(node, key):
    v = _attr_ints(node, key) if key in node.get("attr", {}) else [1, 1, 1, 1]
    return v[1:3]


def convert_graph_model(model, weights):
    """tfjs graph model (NHWC) -> Graph in NCHW. Returns (graph, {tf output name: onnx name})."""
    nodes = {n["name"]: n for n in model["modelTopology"]["node"]}
    g = Graph()
    done = {}  # tf name -> (onnx name, is 4-D NCHW activation)

    def ref(name):
        return name[:-2] if name.endswith(":0") else name

    def const_of(name):
        node = nodes[ref(name)]
        if node["op"] != "Const":
            fail("expected a constant for " + name)
        return weights[node["name"]]

    def emit(name):
        if name in done:
            return done[name]
        node = nodes[name]
        op = node["op"]
        if "data_format" in node.get("attr", {}) and _attr_str(node, "data_format") != "NHWC":
            fail(name + ": only NHWC graphs are handled")
        ins = [ref(i) for i in node.get("input", []) if not i.startswith("^")]

        if op == "Placeholder":
            # The ONNX input is already NCHW: the caller feeds cv::dnn::blobFromImage.
            result = ("input", True)
        elif op == "Identity":
            result = emit(ins[0])
        elif op in ("_FusedConv2D", "Conv2D", "DepthwiseConv2dNative"):
            x, _ = emit(ins[0])
            f = const_of(ins[1])  # HWIO, or HW C mult for depthwise
            if op == "DepthwiseConv2dNative":
                kh, kw, c, mult = f.shape
                # Output channel c*mult+m, as in TF.
                w = f.transpose(2, 3, 0, 1).reshape(c * mult, 1, kh, kw)
                group = c
            else:
                w = f.transpose(3, 2, 0, 1)
                group = 1
            fused = _attr_strs(node, "fused_ops") if op == "_FusedConv2D" else []
            bias = None
            if fused[:1] == ["BiasAdd"]:
                bias = const_of(ins[2])
                fused = fused[1:]
            elif fused:
                fail("%s: fused ops %s" % (name, fused))
            y = g.conv(x, w, bias, _spatial(node, "strides"), _conv_pad(node),
                       group=group, dilations=_spatial(node, "dilations"))
            if fused == ["Relu"]:
                y = g.op("Relu", [y])
            elif fused == ["Prelu"]:
                y = g.op("PRelu", [y, g.const("slope", const_of(ins[3]).reshape(-1, 1, 1))])
            elif fused:
                fail("%s: fused ops %s" % (name, fused))
            result = (y, True)
        elif op in ("Add", "AddV2"):
            (a, a4), (b, b4) = emit(ins[0]), emit(ins[1])
            if not (a4 and b4):
                fail(name + ": Add with a constant or non-4-D operand")
            result = (g.op("Add", [a, b]), True)
        elif op in ("Relu", "Sigmoid"):
            x, is4 = emit(ins[0])
            result = (g.op(op, [x]), is4)
        elif op == "Prelu":
            x, is4 = emit(ins[0])
            if not is4:
                fail(name + ": Prelu on a non-4-D tensor")
            result = (g.op("PRelu", [x, g.const("slope", const_of(ins[1]).reshape(-1, 1, 1))]), True)
        elif op == "MaxPool":
            x, _ = emit(ins[0])
            pad = _conv_pad(node)
            attrs = dict(kernel_shape=_spatial(node, "ksize"), strides=_spatial(node, "strides"))
            if pad == "SAME":
                attrs["auto_pad"] = "SAME_UPPER"
            else:
                attrs["pads"] = pad
            result = (g.op("MaxPool", [x], **attrs), True)
        elif op == "Pad":
            x, _ = emit(ins[0])
            p = const_of(ins[1]).astype(int)  # [[n0,n1],[h0,h1],[w0,w1],[c0,c1]]
            order = [0, 3, 1, 2]
            pads = [int(p[i][0]) for i in order] + [int(p[i][1]) for i in order]
            result = (g.op("Pad", [x], pads=pads, mode="constant", value=0.0), True)
        elif op == "Reshape":
            x, is4 = emit(ins[0])
            if is4:
                # TF reshapes NHWC memory order.
                x = g.op("Transpose", [x], perm=[0, 2, 3, 1])
            shape = const_of(ins[1]).astype(np.int64)
            result = (g.op("Reshape", [x, g.const("shape", shape)]), False)
        else:
            fail("%s: op %s is not handled" % (name, op))
        done[name] = result
        return result

    # The converter puts the signature at the top level or under userDefinedMetadata.
    signature = model.get("signature") or model["userDefinedMetadata"]["signature"]
    outputs = {}
    for out in sorted(signature["outputs"].values(), key=lambda o: o["name"]):
        outputs[ref(out["name"])] = emit(ref(out["name"]))[0]
    return g, outputs


def rename_output(g, old, new):
    for node in g.nodes:
        node.output[:] = [new if o == old else o for o in node.output]
        node.input[:] = [new if i == old else i for i in node.input]




def build_blazeface(human):
    model = json.loads(human.read("package/models/blazeface.json"))
    weights = decode_weights(model["weightsManifest"],
                             lambda p: human.read("package/models/" + p))
    g, outs = convert_graph_model(model, weights)
    # human's blazeface.ts sorts the four outputs by size and concatenates them:
    # [scores512|regs512] and [scores384|regs384] along the last axis, then 512 before 384.
    probe = g.model([("input", [1, 3, 256, 256])], [(n, None) for n in outs.values()], "")
    size = {o.name: int(np.prod([d.dim_value for d in o.type.tensor_type.shape.dim]))
            for o in probe.graph.output}
    ordered = sorted(outs.values(), key=lambda n: size[n])
    s384, s512, r384, r512 = ordered
    c512 = g.op("Concat", [s512, r512], axis=2)
    c384 = g.op("Concat", [s384, r384], axis=2)
    out = g.op("Concat", [c512, c384], axis=1)
    rename_output(g, out, "detections")
    return g.model([("input", [1, 3, 256, 256])], [("detections", None)],
                   "BlazeFace (MediaPipe, back-camera 256x256) from %s" % human.spec)


def build_facemesh(human):
    model = json.loads(human.read("package/models/facemesh.json"))
    weights = decode_weights(model["weightsManifest"],
                             lambda p: human.read("package/models/" + p))
    g, outs = convert_graph_model(model, weights)
    names = {"Identity_2": "mesh", "Identity_1": "faceflag", "Identity": "contours"}
    for tf_name, onnx_name in names.items():
        rename_output(g, outs[tf_name], onnx_name)
    return g.model([("input", [1, 3, 192, 192])],
                   [("mesh", None), ("faceflag", None), ("contours", None)],
                   "FaceMesh (MediaPipe, 192x192) from %s" % human.spec)


# ---------------------------------------------------------------- face-api faceRecognitionNet

def build_face_recognition(faceapi):
    """Architecture from face-api's src/faceRecognitionNet (FaceRecognitionNet.ts,
    residualLayer.ts, convLayer.ts, scaleLayer.ts): dlib's ResNet-29, 150x150 -> 128."""
    manifest = json.loads(faceapi.read("package/model/face_recognition_model-weights_manifest.json"))
    W = decode_weights(manifest, lambda p: faceapi.read("package/model/" + p))
    used = set()
    g = Graph()

    def conv_layer(x, hw, prefix, stride, relu, same):
        f = W[prefix + "/conv/filters"]
        b = W[prefix + "/conv/bias"]
        s = W[prefix + "/scale/weights"]
        t = W[prefix + "/scale/biases"]
        used.update(prefix + k for k in ("/conv/filters", "/conv/bias", "/scale/weights", "/scale/biases"))
        # scale(conv(x) + b) = conv'(x) + b' with the per-channel scale folded in.
        w = (f.astype(np.float64) * s).transpose(3, 2, 0, 1)
        bias = b.astype(np.float64) * s + t
        k = f.shape[0]
        if same:
            assert stride == 1
            pad = [k // 2] * 4
            out_hw = hw
        else:
            pad = [0, 0, 0, 0]
            out_hw = (hw - k) // stride + 1
        y = g.conv(x, w, bias, (stride, stride), pad)
        return (g.op("Relu", [y]) if relu else y), out_hw, f.shape[3]

    def residual(x, hw, prefix):
        out, hw1, _ = conv_layer(x, hw, prefix + "/conv1", 1, True, True)
        out, _, _ = conv_layer(out, hw1, prefix + "/conv2", 1, False, True)
        return g.op("Relu", [g.op("Add", [out, x])]), hw

    def residual_down(x, hw, channels, prefix):
        out, ohw, oc = conv_layer(x, hw, prefix + "/conv1", 2, True, False)
        out, _, _ = conv_layer(out, ohw, prefix + "/conv2", 1, False, True)
        pooled = g.op("AveragePool", [x], kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 0, 0])
        phw = (hw - 2) // 2 + 1
        if ohw != phw:
            # face-api appends one zero row and one zero column to the conv branch.
            out = g.op("Pad", [out], pads=[0, 0, 0, 0, 0, 0, phw - ohw, phw - ohw], mode="constant", value=0.0)
        if oc != channels:
            # ...and zero channels to the pooled branch.
            pooled = g.op("Pad", [pooled], pads=[0, 0, 0, 0, 0, oc - channels, 0, 0], mode="constant", value=0.0)
        return g.op("Relu", [g.op("Add", [pooled, out])]), phw, oc

    x, hw, c = conv_layer("input", 150, "conv32_down", 2, True, False)
    x = g.op("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 0, 0])
    hw = (hw - 3) // 2 + 1
    for p in ("conv32_1", "conv32_2", "conv32_3"):
        x, hw = residual(x, hw, p)
    x, hw, c = residual_down(x, hw, c, "conv64_down")
    for p in ("conv64_1", "conv64_2", "conv64_3"):
        x, hw = residual(x, hw, p)
    x, hw, c = residual_down(x, hw, c, "conv128_down")
    for p in ("conv128_1", "conv128_2"):
        x, hw = residual(x, hw, p)
    x, hw, c = residual_down(x, hw, c, "conv256_down")
    for p in ("conv256_1", "conv256_2"):
        x, hw = residual(x, hw, p)
    x, hw, c = residual_down(x, hw, c, "conv256_down_out")
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])], axis=1)
    fc = W["fc"]  # [256 in, 128 out]
    used.add("fc")
    y = g.op("Gemm", [x, g.const("fc_w", np.ascontiguousarray(fc.T)),
                      g.const("fc_b", np.zeros(fc.shape[1], np.float32))], transB=1)
    unused = sorted(set(W) - used)
    if unused:
        fail("face-recognition: unused weights " + ", ".join(unused))
    rename_output(g, y, "descriptor")
    return g.model([("input", [1, 3, 150, 150])], [("descriptor", None)],
                   "face-api faceRecognitionNet (dlib ResNet-29) from %s" % faceapi.spec)


# ---------------------------------------------------------------- manifest

BLAZEFACE_INFO = {
    "input": {
        "name": "input", "shape": [1, 3, 256, 256], "layout": "NCHW float32", "channel_order": "RGB",
        "preprocessing": "x / 127.5 - 1 for 8-bit x, i.e. [-1, 1]. human resizes the whole frame "
                         "bilinearly to 256x256, stretching it (with detector.square it first pads "
                         "to a centred square with zeros)",
        "scalefactor": 1 / 127.5, "mean_rgb": [127.5, 127.5, 127.5],
        "blobFromImage": "cv::dnn::blobFromImage(bgr, 1.0 / 127.5, cv::Size(256, 256), "
                         "cv::Scalar(127.5, 127.5, 127.5), /*swapRB=*/true, /*crop=*/false)",
    },
    "outputs": [{
        "name": "detections", "shape": [1, 896, 17],
        "meaning": "one row per anchor, raw values as human's blazeface.ts uses them: "
                   "[0] score logit (sigmoid gives the confidence); "
                   "[1],[2] box centre x,y offset from the anchor centre, in input pixels (0..256); "
                   "[3],[4] box width, height in input pixels; "
                   "[5..16] 6 keypoints as x,y offsets from the anchor centre in input pixels: "
                   "right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion "
                   "(MediaPipe order; the subject's right, so on an unmirrored frame keypoint 0 "
                   "lies left of keypoint 1, as checked on grace_hopper)",
    }],
    "anchors": {
        "count": 896,
        "rule": "human facemeshutil.generateAnchors(256): strides [16, 32] with [2, 6] anchors per cell; "
                "for each stride, for gy in 0..ceil(256/stride)-1, for gx likewise, repeat the count: "
                "centre (stride*(gx+0.5), stride*(gy+0.5)) in input pixels. Rows 0..511: stride 16 "
                "(16x16 grid, 2 each); rows 512..895: stride 32 (8x8 grid, 6 each). Anchors have no "
                "size: w,h are absolute input pixels.",
        "decode": "centre = anchor + [1..2]; half = [3..4] / 2; box = centre - half .. centre + half; "
                  "keypoint k = anchor + [5+2k .. 6+2k]; then NMS (human: iou 0.1, minConfidence 0.2 "
                  "in its default config) and scale by frame size / 256.",
    },
}

FACEMESH_INFO = {
    "input": {
        "name": "input", "shape": [1, 3, 192, 192], "layout": "NCHW float32", "channel_order": "RGB",
        "preprocessing": "x / 255 for 8-bit x, i.e. [0, 1]; the crop is the BlazeFace box enlarged "
                         "1.4x about its centre, squared, resized to 192x192 (human cutAndResize, "
                         "optionally rotated upright first)",
        "scalefactor": 1 / 255, "mean_rgb": [0, 0, 0],
        "blobFromImage": "cv::dnn::blobFromImage(bgr_crop, 1.0 / 255, cv::Size(192, 192), "
                         "cv::Scalar(), /*swapRB=*/true, /*crop=*/false)",
    },
    "outputs": [
        {"name": "mesh", "shape": [1, 1404],
         "meaning": "468 landmarks x (x, y, z), x and y in crop pixels (0..192), z relative depth "
                    "in the same scale; MediaPipe canonical face-mesh index order"},
        {"name": "faceflag", "shape": [1, 1],
         "meaning": "face presence probability (sigmoid already applied); human drops the face below "
                    "its detector minConfidence"},
        {"name": "contours", "shape": [1, 266],
         "meaning": "133 (x, y) points in crop pixels from a second head; human 3.3.6 does not use "
                    "them (code commented out)"},
    ],
}

FACEREC_INFO = {
    "input": {
        "name": "input", "shape": [1, 3, 150, 150], "layout": "NCHW float32", "channel_order": "RGB",
        "preprocessing": "(x - mean) / 255 for 8-bit x with mean R 122.782, G 117.001, B 104.298 "
                         "(face-api FaceRecognitionNet.ts). face-api feeds the detected face box cut "
                         "from the frame (no margin, no alignment), padded with black (x = 0) to a "
                         "centred square and resized bilinearly to 150x150",
        "scalefactor": 1 / 255, "mean_rgb": [122.782, 117.001, 104.298],
        "blobFromImage": "cv::dnn::blobFromImage(bgr_crop, 1.0 / 255, cv::Size(150, 150), "
                         "cv::Scalar(122.782, 117.001, 104.298), /*swapRB=*/true, /*crop=*/false)",
    },
    "outputs": [{
        "name": "descriptor", "shape": [1, 128],
        "meaning": "face descriptor, not normalised; compare by Euclidean distance (face-api and dlib "
                   "use 0.6 as the same-person threshold)",
    }],
}


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: convert.py TARBALL_DIR OUT_DIR")
    tarball_dir, out_dir = argv[1], argv[2]
    packages = load_packages(tarball_dir)
    human = packages["@vladmandic/human"]
    faceapi = packages["@vladmandic/face-api"]
    os.makedirs(out_dir, exist_ok=True)
    # manifest.json marks a finished run (build.sh relies on it), so drop it first.
    try:
        os.remove(os.path.join(out_dir, "manifest.json"))
    except FileNotFoundError:
        pass

    jobs = [
        ("blazeface.onnx", build_blazeface, human, "package/models/blazeface.json + .bin", BLAZEFACE_INFO),
        ("facemesh.onnx", build_facemesh, human, "package/models/facemesh.json + .bin", FACEMESH_INFO),
        ("face-recognition.onnx", build_face_recognition, faceapi,
         "package/model/face_recognition_model-weights_manifest.json + .bin", FACEREC_INFO),
    ]
    models = []
    for filename, build, pkg, files, info in jobs:
        model = build(pkg)
        path = os.path.join(out_dir, filename)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(model.SerializeToString())
        os.replace(tmp, path)
        entry = {
            "file": filename,
            "sha256": sha256_file(path),
            "bytes": os.path.getsize(path),
            "source": "%s %s" % (pkg.spec, files),
            "weights_origin": pkg.entry["weights_origin"],
            "weights_license": pkg.entry["weights_license"],
            "code_license": pkg.entry["license"],
            "opset": OPSET,
        }
        entry.update(info)
        models.append(entry)
        print("convert.py: wrote %s (%d bytes)" % (path, entry["bytes"]))

    manifest = {
        "generator": "tools/face-models/convert.py",
        "input_rule": "input[0][c][y][x] = (v - mean_rgb[c]) * scalefactor, v the 8-bit value of "
                      "channel c (0 R, 1 G, 2 B) at row y, column x of the image resized to the "
                      "input size; this is what the blobFromImage call given per model computes "
                      "from a BGR cv::Mat",
        "models": models,
    }
    tmp = os.path.join(out_dir, "manifest.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, os.path.join(out_dir, "manifest.json"))


if __name__ == "__main__":
    main(sys.argv)
