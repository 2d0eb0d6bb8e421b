import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toContractError } from '../strata-error.ts';
import { DataImportError, type DataImportErrorCode } from './data-import-error.ts';
import { decodeImageFile } from './image-folder/decode-image.ts';
import { loadImageDataset } from './image-folder/load-image-dataset.ts';
import { scanImageFolder } from './image-folder/scan-image-folder.ts';
import { makeTempDir, solidImage, truncatedPng, writeFile } from './image-folder/test-image-files.ts';

const temp = makeTempDir('errors');
afterAll(temp.remove);
const at = (rel: string): string => path.join(temp.dir, ...rel.split('/'));
const load = (dir: string) => loadImageDataset({ path: dir, imageSize: [8, 8], channels: 1, validationSplit: 0.2, seed: 1 });

beforeAll(async () => {
  const png = await solidImage({ width: 8, height: 8, colour: [90] });
  writeFile(temp.dir, 'a-file.png', png);
  writeFile(temp.dir, 'flat/1.png', png);
  writeFile(temp.dir, 'one-class/cats/1.png', png);
  writeFile(temp.dir, 'no-images/cats/1.bmp', 'BM');
  writeFile(temp.dir, 'no-images/dogs/1.txt', 'woof');
  writeFile(temp.dir, 'empty-class/cats/1.png', png);
  writeFile(temp.dir, 'empty-class/dogs/1.txt', 'woof');
  writeFile(temp.dir, 'cut.png', await truncatedPng());
});

/** Every code, what triggers it, the path it must name, and a phrase telling the person what to do. */
const cases: Array<{ code: DataImportErrorCode; run: () => Promise<unknown>; path: string; advice: RegExp }> = [
  { code: 'NOT_FOUND', run: () => scanImageFolder(at('missing')), path: at('missing'), advice: /Check the path/ },
  { code: 'NOT_FOUND', run: () => load(at('missing')), path: at('missing'), advice: /Check the path/ },
  { code: 'NOT_A_FOLDER', run: () => scanImageFolder(at('a-file.png')), path: at('a-file.png'), advice: /Choose the folder that holds one sub-folder per class/ },
  { code: 'NO_CLASS_FOLDERS', run: () => scanImageFolder(at('flat')), path: at('flat'), advice: /Put the images of each class in a sub-folder named after the class/ },
  { code: 'NO_CLASS_FOLDERS', run: () => load(at('flat')), path: at('flat'), advice: /sub-folder named after the class/ },
  { code: 'TOO_FEW_CLASSES', run: () => load(at('one-class')), path: at('one-class'), advice: /only one class folder \("cats"\).*Add a sub-folder/ },
  { code: 'NO_IMAGES', run: () => load(at('no-images')), path: at('no-images'), advice: /all 2 file\(s\) were skipped.*Put PNG, JPEG/ },
  { code: 'EMPTY_CLASS', run: () => load(at('empty-class')), path: at('empty-class/dogs'), advice: /"dogs\/1\.txt": not an image file.*or remove the folder/ },
  { code: 'UNREADABLE_IMAGE', run: () => decodeImageFile(at('cut.png'), [8, 8], 1), path: at('cut.png'), advice: /cannot be decoded.*save it again as PNG/ },
];

describe('DataImportError', () => {
  it.each(cases)('$code names "$path" and says what to do', async ({ code, run, path: expectedPath, advice }) => {
    const err = await run().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DataImportError);
    const e = err as DataImportError;
    expect({ code: e.code, path: e.path, namesPath: e.message.includes(`"${expectedPath}"`), contract: toContractError(e) }).toEqual({
      code, path: expectedPath, namesPath: true, contract: { code, message: e.message, details: { path: expectedPath } },
    });
    expect(e.message).toMatch(advice);
  });
});
