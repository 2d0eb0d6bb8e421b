import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { strataCacheDir } from '../backend/native-reference.ts';

/** A Python that can import TensorFlow and Keras: what Keras parity checks and the Python export's test run need. */
export interface PythonKeras {
  python: string;
  tensorflow: string;
  keras: string;
}

/** The venv `npm run setup:python` makes (tensorflow-cpu from PyPI), shared by all checkouts on the machine. */
export function provisionedPython(): string {
  return path.join(strataCacheDir(), 'python-keras', 'bin', 'python');
}

let found: PythonKeras | null | undefined;

/**
 * Finds a Python with TensorFlow and Keras, once per process: STRATA_PYTHON if set, then the
 * provisioned venv, then `python3` on the PATH. Null when none has them (`pythonKerasMissing`
 * says what to do).
 */
export function findPythonKeras(): PythonKeras | null {
  if (found !== undefined) return found;
  const candidates = [process.env.STRATA_PYTHON, provisionedPython(), 'python3'].filter((p): p is string => Boolean(p));
  found = null;
  for (const python of candidates) {
    if (python.includes(path.sep) && !fs.existsSync(python)) continue;
    const r = spawnSync(python, ['-c', 'import os; os.environ["TF_CPP_MIN_LOG_LEVEL"]="3"; import tensorflow as tf, keras; print(tf.__version__, keras.__version__)'], {
      encoding: 'utf8', timeout: 120_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    const versions = r.status === 0 ? /(\S+) (\S+)\s*$/.exec(r.stdout.trim()) : null;
    if (versions) {
      found = { python, tensorflow: versions[1]!, keras: versions[2]! };
      break;
    }
  }
  return found;
}

export function pythonKerasMissing(): string {
  return `No Python with TensorFlow and Keras was found (tried STRATA_PYTHON, ${provisionedPython()} and python3). `
    + 'Run `npm run setup:python` once (it installs tensorflow-cpu from PyPI into that venv), or point STRATA_PYTHON at a Python that has it.';
}
