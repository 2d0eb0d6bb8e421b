import { createContext, useContext } from 'react';
import type { StrataClient } from './strata-client.ts';

/** The one connection to main, provided once at the root (see main.tsx). */
export const ClientContext = createContext<StrataClient | null>(null);

export function useClient(): StrataClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}

/** A message for any error a command can throw: the contract's message, else the error's. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
