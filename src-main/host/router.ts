import type { z } from 'zod';
import { ClientMessageSchema, type ServerMessage } from '../../src-shared/contract/wire.ts';
import { StrataError, toContractError } from '../strata-error.ts';

/** A contract: command name → {args, result} schemas; stream name → {args, event} schemas. */
export type CommandMap = Record<string, { args: z.ZodType; result: z.ZodType }>;
export type StreamMap = Record<string, { args: z.ZodType; event: z.ZodType }>;

export type CommandHandler<CM extends CommandMap, C extends keyof CM> =
  (args: z.infer<CM[C]['args']>) => Promise<z.input<CM[C]['result']>>;
/** A stream handler emits events until done; it must stop promptly when `signal` aborts. */
export type StreamHandler<SM extends StreamMap, S extends keyof SM> =
  (args: z.infer<SM[S]['args']>, emit: (event: z.infer<SM[S]['event']>) => void, signal: AbortSignal) => Promise<void>;

/**
 * A check every parsed payload passes before its handler runs (the web host's path policy):
 * `args` throws to refuse; `result` may narrow a command's result before it is checked and sent.
 */
export interface RouteGuard {
  args(name: string, args: unknown): void;
  result?(name: string, result: unknown): unknown;
}

/**
 * Routes a contract's commands and streams to handlers. Every payload is parsed with its
 * zod schema at this edge and every result is checked before it leaves, so the transports
 * (Electron IPC, WebSocket, the engine's process channel) carry only what the contract allows.
 */
export class Router<CM extends CommandMap, SM extends StreamMap> {
  private readonly commandHandlers = new Map<string, (args: unknown) => Promise<unknown>>();
  private readonly streamHandlers = new Map<string, (args: unknown, emit: (e: unknown) => void, signal: AbortSignal) => Promise<void>>();
  private readonly guards: RouteGuard[] = [];

  constructor(private readonly commandSchemas: CM, private readonly streamSchemas: SM) {}

  command<C extends keyof CM & string>(name: C, handler: CommandHandler<CM, C>): this {
    const schema = this.commandSchemas[name]!;
    this.commandHandlers.set(name, async (raw) => {
      const args = parseOrThrow(schema.args, raw, `arguments of ${name}`) as z.infer<CM[C]['args']>;
      for (const guard of this.guards) guard.args(name, args);
      let result: unknown = await handler(args);
      for (const guard of this.guards) result = guard.result ? guard.result(name, result) : result;
      return parseOrThrow(schema.result, result, `result of ${name}`);
    });
    return this;
  }

  stream<S extends keyof SM & string>(name: S, handler: StreamHandler<SM, S>): this {
    const schema = this.streamSchemas[name]!;
    this.streamHandlers.set(name, async (raw, emit, signal) => {
      const args = parseOrThrow(schema.args, raw, `arguments of ${name}`) as z.infer<SM[S]['args']>;
      for (const guard of this.guards) guard.args(name, args);
      await handler(args, (event) => emit(schema.event.parse(event)), signal);
    });
    return this;
  }

  /** Adds a check run on every command's and stream's parsed arguments (and command results), in order added. */
  guard(guard: RouteGuard): this {
    this.guards.push(guard);
    return this;
  }

  async invoke(name: string, args: unknown): Promise<unknown> {
    const handler = this.commandHandlers.get(name);
    if (!handler) throw new StrataError('UNKNOWN_COMMAND', `"${name}" is not a Strata command`);
    return handler(args);
  }

  /** Opens one client connection; `send` delivers server messages to that client. */
  connect(send: (msg: ServerMessage) => void): { receive(raw: unknown): void; close(): void } {
    const open = new Map<number, AbortController>();
    const receive = (raw: unknown): void => {
      const parsed = ClientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        // Answered, not dropped, so a broken client learns why; the id is the message's own
        // when it has a usable one, else -1 (no request of any client uses it).
        const id = raw !== null && typeof raw === 'object' && 'id' in raw && Number.isSafeInteger(raw.id) ? Number(raw.id) : -1;
        send({ t: 'result', id, ok: false, error: badMessage(parsed.error.issues) });
        return;
      }
      const msg = parsed.data;
      if (msg.t === 'invoke') {
        this.invoke(msg.cmd, msg.args).then(
          (value) => send({ t: 'result', id: msg.id, ok: true, value }),
          (err: unknown) => send({ t: 'result', id: msg.id, ok: false, error: toContractError(err) }),
        );
      } else if (msg.t === 'subscribe') {
        const handler = this.streamHandlers.get(msg.stream);
        if (!handler) {
          send({ t: 'end', id: msg.id, error: { code: 'UNKNOWN_STREAM', message: `"${msg.stream}" is not a Strata stream` } });
          return;
        }
        const controller = new AbortController();
        open.set(msg.id, controller);
        const emit = (event: unknown): void => { if (!controller.signal.aborted) send({ t: 'event', id: msg.id, event }); };
        handler(msg.args, emit, controller.signal).then(
          () => send({ t: 'end', id: msg.id }),
          (err: unknown) => send({ t: 'end', id: msg.id, error: toContractError(err) }),
        ).finally(() => open.delete(msg.id));
      } else {
        open.get(msg.id)?.abort();
      }
    };
    return {
      receive,
      close: () => { for (const c of open.values()) c.abort(); open.clear(); },
    };
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** The error for a message that is not a contract message at all (no `t`, a wrong `id`, ...). */
export function badMessage(issues: readonly z.core.$ZodIssue[] | string): { code: 'BAD_MESSAGE'; message: string } {
  const why = typeof issues === 'string' ? issues : describeIssues(issues);
  return {
    code: 'BAD_MESSAGE',
    message: `Not a Strata message (${why}). Send {"t":"invoke","id":<integer>,"cmd":"<command>","args":{...}}, or "subscribe"/"unsubscribe".`,
  };
}

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new StrataError('INVALID_PAYLOAD', `Invalid ${what}: ${describeIssues(r.error.issues)}`, r.error.issues);
}
