import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ROOT } from '../../app-root.ts';
import { StrataError } from '../../strata-error.ts';
import type { StrataGraphBinding } from './graph-binding-types.ts';

const require = createRequire(import.meta.url);
let loaded: StrataGraphBinding | null = null;

/**
 * Where `npm install` (scripts/build-graph-addon.mjs) puts Strata's graph addon: beside this
 * module when run from source; from the app root when bundled into out/main (and unpacked
 * beside app.asar in a packaged app, since a native addon cannot load from inside it).
 */
export function graphBindingPath(): string {
  const beside = path.join(path.dirname(fileURLToPath(import.meta.url)), 'native', 'build', 'Release', 'strata_graph.node');
  if (fs.existsSync(beside)) return beside;
  return path.join(APP_ROOT.replace(/app\.asar(?=$|[\\/])/, 'app.asar.unpacked'), 'src-main', 'engine', 'graph', 'native', 'build', 'Release', 'strata_graph.node');
}

/**
 * Strata's graph addon, loaded once per process. It links the same libtensorflow as
 * tfjs-node (from tfjs-node's deps/), so the two share one TensorFlow runtime.
 */
export function loadGraphBinding(): StrataGraphBinding {
  if (loaded) return loaded;
  const file = graphBindingPath();
  try {
    loaded = require(file) as StrataGraphBinding;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new StrataError('GRAPH_ENGINE_MISSING', `Strata's graph engine did not load from ${file} (${why}). Run \`npm run provision-native\` to build it.`);
  }
  return loaded;
}
