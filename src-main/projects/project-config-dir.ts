import os from 'node:os';
import path from 'node:path';

/**
 * Strata's per-user config folder: STRATA_CONFIG_DIR, else $XDG_CONFIG_HOME/strata, else
 * ~/.config/strata — the folder the block library uses (block-library.ts), so moving it
 * with STRATA_CONFIG_DIR moves backups and the recent list too. Read on every call, so
 * tests and the web host can point it elsewhere.
 */
export function strataConfigDir(): string {
  return process.env.STRATA_CONFIG_DIR
    ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'strata');
}
