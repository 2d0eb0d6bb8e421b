import { z } from 'zod';
import { ContractErrorSchema } from './contract-error.ts';

/**
 * The messages both transports carry (Electron IPC and the web host's WebSocket), so the
 * renderer's client and main's router do not know which one they are on.
 */
export const ClientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('invoke'), id: z.number().int(), cmd: z.string(), args: z.unknown() }),
  z.object({ t: z.literal('subscribe'), id: z.number().int(), stream: z.string(), args: z.unknown() }),
  z.object({ t: z.literal('unsubscribe'), id: z.number().int() }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

// A plain union: the two `result` shapes share their discriminator value.
export const ServerMessageSchema = z.union([
  z.object({ t: z.literal('result'), id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ t: z.literal('result'), id: z.number().int(), ok: z.literal(false), error: ContractErrorSchema }),
  z.object({ t: z.literal('event'), id: z.number().int(), event: z.unknown() }),
  /** The stream is over: its final event was sent, or it failed to start (error). */
  z.object({ t: z.literal('end'), id: z.number().int(), error: ContractErrorSchema.optional() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
