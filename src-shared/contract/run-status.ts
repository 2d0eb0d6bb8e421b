import { z } from 'zod';

/** How a run ended. Its own module so that streams.ts and gan.ts can both use it without importing each other in a cycle. */
export const RunStatusSchema = z.enum(['completed', 'cancelled', 'diverged', 'failed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;
