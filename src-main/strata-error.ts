import type { ContractError } from '../src-shared/contract/contract-error.ts';

/** An error with a stable code that may cross the boundary as {code, message, details}. */
export class StrataError extends Error {
  constructor(readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'StrataError';
  }
}

/** Maps anything thrown by a handler to the contract's error shape; never a bare stack. */
export function toContractError(err: unknown): ContractError {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' && err instanceof Error) {
    const details = 'details' in err ? err.details : undefined;
    return { code: err.code, message: err.message, ...(details === undefined ? {} : { details }) };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

