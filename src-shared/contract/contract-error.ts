import { z } from 'zod';

/** An error as it crosses any boundary: a stable code, a human message, optional details. */
export const ContractErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ContractError = z.infer<typeof ContractErrorSchema>;
