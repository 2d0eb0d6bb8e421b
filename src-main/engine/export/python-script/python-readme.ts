import type { PythonManifest } from './python-manifest.ts';

const KIND_WORDS: Record<PythonManifest['data']['kind'], string> = {
  'image-folder': 'image folder', 'csv-table': 'CSV table', text: 'texts', timeseries: 'time series',
};

/** Where Python's image decoding can differ from Strata's (sharp/libvips). */
const IMAGE_CAVEATS = `## Images: where Python and Strata can differ

Images already at the model's size (the usual case) give exactly Strata's pixels. An image that must
be resized is resampled with TensorFlow's Lanczos-3, a few levels (of 255) from Strata's; JPEG and WebP
files shrunk to half size or less differ more (Strata decodes them at reduced size). TensorFlow reads
PNG, JPEG, GIF, BMP and WebP but not TIFF (such files are skipped and counted), and does not apply a
JPEG's EXIF orientation (Strata turns phone photos upright).

`;

/** README.md of a Python export: how to run it alone and on a cluster of N workers. */
export function pythonReadme(manifest: PythonManifest): string {
  const { data, training } = manifest;
  const weights = manifest.model.weights
    ? `- \`${manifest.model.weights}\` — Strata's trained model; \`--from-trained\` starts from its weights.\n`
    : '';
  return `# Train "${manifest.run.name ?? manifest.run.id}" with Keras

Exported by Strata from run \`${manifest.run.id}\` (checkpoint of epoch ${manifest.run.epoch}).
It trains the same graph on the same ${KIND_WORDS[data.kind]}, prepared and split the way Strata did.

## What is here

- \`train.py\` — the training script (TensorFlow 2.16+ with Keras 3, numpy; nothing else).
- \`strata_*.py\` — Strata's data preparation in Python (imported by train.py; keep them beside it).
- \`manifest.json\` — the data (\`${data.path}\`), its preprocessing, the split (validation ${data.validationSplit}, seed ${data.seed}) and the training settings.
- \`${manifest.model.architecture}\` — the graph as a Keras config.
${weights}
## Run it

\`\`\`sh
pip install tensorflow          # or tensorflow-cpu
python train.py                 # ${training.epochs} epoch${training.epochs === 1 ? '' : 's'}, batch ${training.batchSize}, ${training.optimizer} at ${training.learningRate}
python train.py --epochs 20 --batch-size 64 --data /path/to/data --out trained/
\`\`\`

Each epoch prints loss, accuracy and the validation figures; the last line is
\`STRATA_RESULT {...}\` (JSON: final loss, acc, val_loss, val_acc, sample counts, a hash of the weights).
The trained model, its history, that result and \`split.json\` (the validation samples, as Strata's run.json
lists them) are saved in \`--out\` (default \`trained/\`).

${data.kind === 'image-folder' ? IMAGE_CAVEATS : ''}## On a cluster (tf.distribute.MultiWorkerMirroredStrategy)

${manifest.distributed ? 'This export trains distributed when `TF_CONFIG` is set.' : 'This export was made without the distributed option: pass `--distributed` to train distributed when `TF_CONFIG` is set.'}
Copy this folder and the data to every machine (the same path, or pass \`--data\`). On each of the N
workers set \`TF_CONFIG\` to the same cluster and that worker's own index (0 … N−1), then run the same
command on all of them; they wait for each other, then train in lock step:

\`\`\`sh
# worker 0 (the chief: it saves the model)         # worker 1
export TF_CONFIG='{"cluster": {"worker": ["10.0.0.1:12345", "10.0.0.2:12345"]}, "task": {"type": "worker", "index": 0}}'
python train.py --batch-size 64                    # same TF_CONFIG with "index": 1, same command
\`\`\`

- \`--batch-size\` is the global batch: each step every worker takes its share (64 over 2 workers = 32 each).
- Every worker holds the whole dataset in memory and reads its shard of each epoch's shuffled batches.
- Every worker prints the same validation figures and the same weights hash; only worker 0 writes \`--out\`.
- The port of each worker must be reachable from the others; nothing needs to run before the command.
`;
}
