// Loads an exported tfjs layers model the way a consumer would — a fresh Node process with
// @tensorflow/tfjs-node and tf.loadLayersModel — and predicts the given inputs.
// usage: node tfjs-predict.mjs <model.json> <inputs.f32> <comma-separated shape incl. batch> <outputs.f32>
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [modelJson, inputsFile, shapeText, outputsFile] = process.argv.slice(2);
const require = createRequire(pathToFileURL(process.cwd() + '/'));
const tf = require('@tensorflow/tfjs-node');
const model = await tf.loadLayersModel(`file://${modelJson}`);
const bytes = fs.readFileSync(inputsFile);
const x = tf.tensor(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), shapeText.split(',').map(Number), 'float32');
const y = model.predict(x);
fs.writeFileSync(outputsFile, Buffer.from(new Float32Array(y.dataSync()).buffer));
console.log(`tfjs-node ${tf.version.tfjs}`);
