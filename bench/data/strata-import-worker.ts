// The Strata side of the data benchmark, in its own process like the Keras side: the loader
// the engine trains from (list, decode, resize, grey, split) over the whole folder.
import { loadImageDataset } from '../../src-main/data/image-folder/load-image-dataset.ts';
import { loadEngineBackend } from '../../src-main/engine/backend/load-engine-backend.ts';

const [folder, height, width] = process.argv.slice(2);
// As a training run does: the engine is up before the data loads.
await loadEngineBackend();
const start = performance.now();
const data = await loadImageDataset({ path: folder!, imageSize: [Number(height), Number(width)], channels: 1, validationSplit: 0.2, seed: 1 });
const seconds = (performance.now() - start) / 1000;
const images = data.train.count + data.validation.count;
console.log(JSON.stringify({ engine: 'strata', images, seconds, imagesPerSec: images / seconds, skipped: data.skipped.length }));
