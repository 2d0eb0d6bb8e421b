import type { z } from 'zod';
import type { ContractError } from './contract-error.ts';
import { ServerMessageSchema, type ClientMessage, type ServerMessage } from './wire.ts';

/** A message pipe to a router: Electron IPC, a WebSocket, or the engine's process channel. */
export interface Transport {
  send(msg: ClientMessage): void;
  onMessage(listener: (msg: unknown) => void): void;
  onClose(listener: (reason: string) => void): void;
}

/** An error returned across the boundary, with the contract's stable code. */
export class ContractClientError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(error: ContractError) {
    super(error.message);
    this.name = 'ContractClientError';
    this.code = error.code;
    this.details = error.details;
  }
}

type CommandMap = Record<string, { args: z.ZodType; result: z.ZodType }>;
type StreamMap = Record<string, { args: z.ZodType; event: z.ZodType }>;
interface Subscription { onEvent(event: unknown): void; onEnd(error?: ContractClientError): void }

/** The typed client side of a contract; it does not know which transport it is on. */
export class ContractClient<CM extends CommandMap, SM extends StreamMap> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly subscriptions = new Map<number, Subscription>();
  private closedReason: string | null = null;

  constructor(private readonly transport: Transport) {
    transport.onMessage((raw) => {
      const parsed = ServerMessageSchema.safeParse(raw);
      if (parsed.success) this.dispatch(parsed.data);
    });
    transport.onClose((reason) => {
      this.closedReason = reason;
      const err = new ContractClientError({ code: 'DISCONNECTED', message: `Lost the connection: ${reason}` });
      for (const p of this.pending.values()) p.reject(err);
      for (const s of this.subscriptions.values()) s.onEnd(err);
      this.pending.clear();
      this.subscriptions.clear();
    });
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  invoke<C extends keyof CM & string>(cmd: C, args: z.input<CM[C]['args']>): Promise<z.infer<CM[C]['result']>> {
    if (this.closedReason !== null) {
      return Promise.reject(new ContractClientError({ code: 'DISCONNECTED', message: `Lost the connection: ${this.closedReason}` }));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.transport.send({ t: 'invoke', id, cmd, args });
    });
  }

  /** Subscribes to a stream; returns a function that cancels the subscription. */
  subscribe<S extends keyof SM & string>(
    stream: S, args: z.input<SM[S]['args']>,
    handlers: { onEvent(event: z.infer<SM[S]['event']>): void; onEnd?(error?: ContractClientError): void },
  ): () => void {
    const id = this.nextId++;
    if (this.closedReason !== null) {
      handlers.onEnd?.(new ContractClientError({ code: 'DISCONNECTED', message: `Lost the connection: ${this.closedReason}` }));
      return () => {};
    }
    this.subscriptions.set(id, { onEvent: handlers.onEvent as (e: unknown) => void, onEnd: (e) => handlers.onEnd?.(e) });
    this.transport.send({ t: 'subscribe', id, stream, args });
    return () => {
      if (this.subscriptions.delete(id)) this.transport.send({ t: 'unsubscribe', id });
    };
  }

  private dispatch(msg: ServerMessage): void {
    if (msg.t === 'result') {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!p) return;
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new ContractClientError(msg.error));
    } else if (msg.t === 'event') {
      this.subscriptions.get(msg.id)?.onEvent(msg.event);
    } else {
      const s = this.subscriptions.get(msg.id);
      this.subscriptions.delete(msg.id);
      s?.onEnd(msg.error ? new ContractClientError(msg.error) : undefined);
    }
  }
}
