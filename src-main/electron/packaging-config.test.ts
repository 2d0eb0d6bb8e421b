import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ROOT } from '../app-root.ts';
import config, { NATIVE_MODULES } from '../../electron-builder.config.ts';

const CONFIG_FILE = 'electron-builder.config.ts';

/** The two functions of electron-builder's own config loader that the test calls. */
interface ElectronBuilderConfigLoader {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
}

describe('the release packaging config', () => {
  it('flips the fuses that stop the shipped binary being used as a Node runtime or patched', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('packs the build and resources into an asar, unpacking what is loaded from outside Node\'s fs', () => {
    expect({ asar: config.asar, files: config.files, asarUnpack: config.asarUnpack }).toEqual({
      asar: true,
      files: ['out/**', 'resources/**', 'src-main/engine/graph/native/build/Release/strata_graph.node'],
      asarUnpack: [
        'node_modules/@tensorflow/tfjs-node/**',
        'node_modules/onnxruntime-node/**',
        'node_modules/sharp/**',
        'node_modules/@img/**',
        'node_modules/h5wasm/**',
        'resources/**',
        'src-main/engine/graph/native/build/Release/strata_graph.node',
      ],
    });
  });

  it('unpacks every module the main bundle keeps external', () => {
    // electron.vite.config.ts leaves these out of the bundle (as 'name' or /^@scope\//), so
    // they load from node_modules at run time and must ship unpacked.
    const viteConfig = fs.readFileSync(path.join(APP_ROOT, 'electron.vite.config.ts'), 'utf8');
    const list = /external:\s*\[([^\]]*)\]/.exec(viteConfig)?.[1] ?? '';
    const external = [...list.matchAll(/'([^']+)'|\/\^(@[\w-]+)\\\//g)].map((m) => m[1] ?? m[2]);
    const unpacked = (name: string | undefined) => NATIVE_MODULES.some((m) => m === name || m.startsWith(`${name}/`));
    expect(external.length).toBeGreaterThan(0);
    expect(external.filter((name) => !unpacked(name))).toEqual([]);
  });

  it('is the file `npm run package` passes to electron-builder', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.package).toBe(`electron-vite build && electron-builder --config ${CONFIG_FILE}`);
  });

  // electron-builder is a devDependency; where it is installed, load the file the way it will
  // (its own loader) and validate it against its own schema, which rejects misspelled keys.
  const loader = (() => {
    try {
      return createRequire(path.join(APP_ROOT, 'package.json'))('app-builder-lib/out/util/config/config') as ElectronBuilderConfigLoader;
    } catch {
      console.log('packaging-config: electron-builder is not installed here; skipped validating against its schema (run npm install).');
      return null;
    }
  })();
  it.skipIf(!loader)('loads and validates with electron-builder\'s own loader and schema', async () => {
    const loaded = await loader!.getConfig(APP_ROOT, CONFIG_FILE, null);
    expect(loaded.electronFuses).toEqual(config.electronFuses);
    await expect(loader!.validateConfiguration(loaded, { isEnabled: false, add: () => {} })).resolves.toBeUndefined();
    await expect(loader!.validateConfiguration({ ...loaded, electronFusez: {} }, { isEnabled: false, add: () => {} })).rejects.toThrow(/electronFusez/);
  });
});
