// Loads exported tfjs layers models the way a consumer would — a fresh Node process with
// @tensorflow/tfjs-node and tf.loadLayersModel — and predicts the given inputs. Many models
// in one process, so a test can check dozens without paying tfjs' start-up each time.
// usage: node tfjs-predict.mjs <jobs.json>
//   jobs.json: [{ "model": "/abs/model.json", "inputs": "/abs/x.f32", "shape": [n, ...], "outputs": "/abs/y.f32" }, ...]
// Prints the runtime's name and version on its last line; a job that fails ends the process non-zero.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(pathToFileURL(process.cwd() + '/'));
const tf = require('@tensorflow/tfjs-node');
const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
for (const job of jobs) {
  const model = await tf.loadLayersModel(`file://${job.model}`);
  const bytes = fs.readFileSync(job.inputs);
  const x = tf.tensor(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), job.shape, 'float32');
  const y = model.predict(x);
  fs.writeFileSync(job.outputs, Buffer.from(new Float32Array(y.dataSync()).buffer));
  tf.dispose([x, y]);
  model.dispose();
}
console.log(`tfjs-node ${tf.version.tfjs}`);
