// Packaging for release builds (`npm run package`: electron-vite build, then electron-builder).
// Kept as typed data: a test imports it and asserts the fuses, and `tsc` checks every key
// against electron-builder's own Configuration type.
import type { Configuration } from 'electron-builder';

/** Native and wasm engines that load binaries from their own folder at run time. */
export const NATIVE_MODULES = ['@tensorflow/tfjs-node', 'onnxruntime-node', 'sharp', '@img', 'h5wasm'] as const;

/** The release configuration electron-builder reads (via --config). */
/** Strata's graph engine addon (see src-main/engine/graph/load-graph-binding.ts): whole-step training. */
const GRAPH_ADDON = 'src-main/engine/graph/native/build/Release/strata_graph.node';

const config = {
  appId: 'org.strata.studio',
  productName: 'Strata',
  directories: { output: 'dist/package' },
  // The build output and the files the app reads at run time (see src-main/app-root.ts);
  // electron-builder adds package.json and the production node_modules itself.
  files: ['out/**', 'resources/**', GRAPH_ADDON],
  asar: true,
  // Loaded by path from outside Node's fs (dlopen of native libraries, Python reading the
  // scripts in resources/), which cannot see into an asar archive.
  asarUnpack: [...NATIVE_MODULES.map((name) => `node_modules/${name}/**`), 'resources/**', GRAPH_ADDON],
  // Every native module here is N-API, so one build serves Node and Electron alike; a
  // rebuild would instead try to download headers and libtensorflow, which
  // scripts/provision-native-engine.mjs already supplied.
  npmRebuild: false,
  // Flipped in the Electron binary itself, so they hold even if main's JS is swapped.
  electronFuses: {
    // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node for any script.
    runAsNode: false,
    // NODE_OPTIONS / --inspect would let another process inject code or attach a debugger.
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    // Refuse a tampered app.asar, and refuse to load the app from anywhere but app.asar.
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    // grantFileProtocolExtraPrivileges stays at Electron's default: the renderer is loaded
    // from file://, and without the extra privileges its ES module scripts would not load.
  },
  linux: { target: ['AppImage'], category: 'Science' },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
  win: { target: ['nsis'] },
} satisfies Configuration;

export default config;
