// Usage: node reference.mjs TARBALL_DIR DATA_DIR
//
// Runs the original models with the tfjs 4.22 CPU backend that the pinned
// packages bundle and writes DATA_DIR/reference.json, which the converted ONNX
// models must reproduce. Run by hand (after reference_inputs.py) whenever the
// lock changes; tests only read the result.
//
// Each package runs in its own node process so that each uses its own bundled
// tfjs (both register into one global engine otherwise).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

// Inputs are 8-bit RGB images. Besides the PNG crops of real faces there is a
// synthetic one per size, given by this formula so any side can rebuild it.
const PATTERN = 'v(y, x, c) = (3x + 5y + 85c + 4((x*y) mod 31)) mod 256 for row y, column x, channel c (0 R, 1 G, 2 B)';
function pattern(size) {
  const px = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) px[(y * size + x) * 3 + c] = (3 * x + 5 * y + 85 * c + 4 * ((x * y) % 31)) % 256;
    }
  }
  return px;
}

// Just enough PNG for what reference_inputs.py writes: 8-bit RGB, not interlaced.
function readPng(path) {
  const buf = readFileSync(path);
  let off = 8;
  let width = 0; let height = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 2 || data[12] !== 0) throw new Error(`${path}: only 8-bit RGB non-interlaced PNG`);
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= 3 ? px[y * stride + i - 3] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = (i >= 3 && y > 0) ? px[(y - 1) * stride + i - 3] : 0;
      let p;
      switch (filter) {
        case 0: p = 0; break;
        case 1: p = a; break;
        case 2: p = b; break;
        case 3: p = (a + b) >> 1; break;
        case 4: {
          const pa = Math.abs(b - c); const pb = Math.abs(a - c); const pc = Math.abs(a + b - 2 * c);
          p = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
          break;
        }
        default: throw new Error(`${path}: bad PNG filter ${filter}`);
      }
      px[y * stride + i] = (line[i] + p) & 255;
    }
  }
  return { width, height, px };
}

function image(dataDir, spec) {
  if (spec.pattern) return { width: spec.pattern, height: spec.pattern, px: pattern(spec.pattern) };
  return readPng(join(dataDir, spec.file));
}

// 9 significant digits round-trip a float32.
const f32 = (v) => Number(v.toPrecision(9));

function summary(values, shape) {
  let sum = 0; let absSum = 0;
  for (const v of values) { sum += v; absSum += Math.abs(v); }
  return { shape, sum: f32(sum), abs_sum: f32(absSum) };
}

function full(values, shape) {
  return { ...summary(values, shape), values: Array.from(values, f32) };
}

// BlazeFace gives 896 x 17 values: keep the 8 best-scoring anchors, every 64th
// row and the column sums, which is enough to catch a wrong weight or layout.
function blazefaceSubset(values, shape) {
  const rows = shape[1]; const cols = shape[2];
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => values[b * cols] - values[a * cols] || a - b);
  const pick = new Set(order.slice(0, 8));
  for (let r = 0; r < rows; r += 64) pick.add(r);
  const columnSum = new Array(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) columnSum[c] += values[r * cols + c];
  return {
    ...summary(values, shape),
    column_sum: columnSum.map(f32),
    top_rows_by_score: order.slice(0, 8),
    rows: [...pick].sort((a, b) => a - b).map((r) => ({ row: r, values: Array.from(values.subarray(r * cols, (r + 1) * cols), f32) })),
  };
}

// What the converted models must meet: |got - ref| <= atol + rtol * |ref| for
// every stored value, row, column sum, sum and abs_sum. Measured with OpenCV
// 4.6 on the 3.3.6/1.7.15 models: blazeface 2.5e-5 on rows up to 132 (sums
// 8e-3 of 3.9e4), facemesh 1.5e-4 on values up to 163 (its weights are fp16),
// face-recognition 2.4e-7. A wrong weight or layout is off by far more.
const TOLERANCE = {
  'blazeface.onnx': { atol: 1e-3, rtol: 1e-4 },
  'facemesh.onnx': { atol: 2e-3, rtol: 1e-4 },
  'face-recognition.onnx': { atol: 1e-5, rtol: 1e-4 },
};

const CASES = {
  'blazeface.onnx': [{ file: 'grace_hopper_256.png' }, { pattern: 256 }],
  'facemesh.onnx': [{ file: 'grace_hopper_face_192.png' }, { pattern: 192 }],
  'face-recognition.onnx': [{ file: 'grace_hopper_face_150.png' }, { file: 'messi_face_150.png' }, { pattern: 150 }],
};

async function loadBundle(path) {
  // The bundles are browser builds: their node platform needs the 'util'
  // module they left out, so let tfjs choose its browser platform instead.
  globalThis.WorkerGlobalScope = class {};
  const mod = await import(path);
  delete globalThis.WorkerGlobalScope;
  return mod;
}

function graphArtifacts(tf, dir, name) {
  const model = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  const weightSpecs = model.weightsManifest.flatMap((g) => g.weights);
  const bin = Buffer.concat(model.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
  return tf.io.fromMemory({
    modelTopology: model.modelTopology,
    weightSpecs,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    format: model.format,
    generatedBy: model.generatedBy,
    convertedBy: model.convertedBy,
    signature: model.signature,
    userDefinedMetadata: model.userDefinedMetadata,
  });
}

const pixels = (tf, img) => tf.tensor4d(Float32Array.from(img.px), [1, img.height, img.width, 3]);

async function workerHuman(dir, dataDir) {
  const tf = await loadBundle(join(dir, 'tfjs.esm.mjs'));
  await tf.setBackend('cpu');
  await tf.ready();
  const result = { tfjs: `${tf.version_core} ${tf.getBackend()}` };

  const blazeface = await tf.loadGraphModel(graphArtifacts(tf, dir, 'blazeface'));
  result['blazeface.onnx'] = [];
  for (const spec of CASES['blazeface.onnx']) {
    const img = image(dataDir, spec);
    // src/face/blazeface.ts getBoxes()
    const resized = tf.image.resizeBilinear(pixels(tf, img), [256, 256]);
    const normalized = tf.sub(tf.div(resized, tf.scalar(127.5, 'float32')), tf.scalar(1.0, 'float32'));
    const res = blazeface.execute(normalized);
    const sorted = res.sort((a, b) => a.size - b.size);
    const concat384 = tf.concat([sorted[0], sorted[2]], 2);
    const concat512 = tf.concat([sorted[1], sorted[3]], 2);
    const concat = tf.concat([concat512, concat384], 1);
    result['blazeface.onnx'].push({ input: spec, outputs: { detections: blazefaceSubset(await concat.data(), concat.shape) } });
  }

  const facemesh = await tf.loadGraphModel(graphArtifacts(tf, dir, 'facemesh'));
  result['facemesh.onnx'] = [];
  for (const spec of CASES['facemesh.onnx']) {
    const img = image(dataDir, spec);
    // src/face/facemeshutil.ts cutAndResize() divides the crop by 255
    const input = tf.div(pixels(tf, img), tf.scalar(255.0, 'float32'));
    const res = facemesh.execute(input);
    const byLastDim = (n) => res.find((t) => t.shape[t.shape.length - 1] === n);
    const outputs = {};
    for (const [name, n] of [['mesh', 1404], ['faceflag', 1], ['contours', 266]]) {
      const t = byLastDim(n);
      outputs[name] = full(await t.data(), t.shape);
    }
    result['facemesh.onnx'].push({ input: spec, outputs });
  }
  return result;
}

async function workerFaceapi(dir, dataDir) {
  const faceapi = await loadBundle(join(dir, 'face-api.esm.mjs'));
  const { tf } = faceapi;
  await tf.setBackend('cpu');
  await tf.ready();
  const result = { tfjs: `${tf.version_core} ${tf.getBackend()}` };

  const manifest = JSON.parse(readFileSync(join(dir, 'face_recognition_model-weights_manifest.json'), 'utf8'));
  const bin = Buffer.concat(manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
  const weightMap = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), manifest.flatMap((g) => g.weights));
  const net = new faceapi.FaceRecognitionNet();
  net.loadFromWeightMap(weightMap);
  result['face-recognition.onnx'] = [];
  for (const spec of CASES['face-recognition.onnx']) {
    const img = image(dataDir, spec);
    const input = tf.tensor3d(Int32Array.from(img.px), [img.height, img.width, 3], 'int32');
    const descriptor = await net.computeFaceDescriptor(input);
    result['face-recognition.onnx'].push({ input: spec, outputs: { descriptor: full(descriptor, [1, 128]) } });
  }
  return result;
}

function sha(alg, data, enc) {
  return createHash(alg).update(data).digest(enc);
}

// Unpacks the locked files of one package into dir, checking every hash.
function unpack(pkg, tarballDir, dir) {
  const tgz = join(tarballDir, pkg.tarball);
  const integrity = `sha512-${sha('sha512', readFileSync(tgz), 'base64')}`;
  if (integrity !== pkg.integrity) throw new Error(`${tgz} does not match the lock`);
  const paths = pkg.files.map((f) => f.path);
  const tar = spawnSync('tar', ['-xzf', tgz, '-C', dir, ...paths], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error(`tar failed on ${tgz}`);
  for (const f of pkg.files) {
    if (sha('sha256', readFileSync(join(dir, f.path)), 'hex') !== f.sha256) throw new Error(`${pkg.name}: ${f.path} does not match the lock`);
  }
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === '--worker') {
    const [which, dir, dataDir, out] = args;
    const result = which === 'human' ? await workerHuman(dir, dataDir) : await workerFaceapi(dir, dataDir);
    writeFileSync(out, JSON.stringify(result));
    return;
  }
  if (args.length !== 1) {
    console.error('usage: node reference.mjs TARBALL_DIR DATA_DIR');
    process.exit(2);
  }
  const [tarballDir, dataDir] = [mode, args[0]];
  const lock = JSON.parse(readFileSync(join(here, 'models.lock.json'), 'utf8'));
  const tmp = mkdtempSync(join(tmpdir(), 'face-models-ref-'));
  const reference = {
    about: 'Outputs of the original tfjs models (CPU backend of the tfjs the packages bundle) on fixed inputs. '
      + 'Inputs are 8-bit RGB images fed through each model\'s preprocessing as given in the converter\'s manifest.json: '
      + 'the PNG files beside this file, or the synthetic pattern. Large outputs are stored as sums and a subset of rows.',
    generator: 'tools/face-models/reference.mjs',
    packages: lock.packages.map((p) => `${p.name}@${p.version}`),
    pattern: PATTERN,
    tolerance_rule: '|got - ref| <= atol + rtol * |ref| for every stored value, row, column_sum entry, sum and abs_sum',
    tolerance: TOLERANCE,
    models: {},
  };
  try {
    const jobs = [['human', '@vladmandic/human', 'package/dist/tfjs.esm.js', 'tfjs.esm.mjs', 'package/models'],
      ['faceapi', '@vladmandic/face-api', 'package/dist/face-api.esm.js', 'face-api.esm.mjs', 'package/model']];
    for (const [which, name, bundle, bundleAs, modelDir] of jobs) {
      const pkg = lock.packages.find((p) => p.name === name);
      const dir = join(tmp, which);
      spawnSync('mkdir', ['-p', dir]);
      unpack(pkg, tarballDir, dir);
      const work = join(dir, modelDir);
      copyFileSync(join(dir, bundle), join(work, bundleAs)); // .mjs: the package does not declare "type": "module"
      const out = join(tmp, `${which}.json`);
      // tfjs prints a banner and kernel notices; show them only when something fails.
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--worker', which, work, dataDir, out], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`worker ${which} failed:\n${run.stdout}${run.stderr}`);
      const result = JSON.parse(readFileSync(out, 'utf8'));
      reference[`tfjs_${which}`] = result.tfjs;
      delete result.tfjs;
      Object.assign(reference.models, result);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const path = join(dataDir, 'reference.json');
  writeFileSync(path, `${JSON.stringify(reference, null, 1)}\n`);
  console.log(`wrote ${path}`);
}

await main();
