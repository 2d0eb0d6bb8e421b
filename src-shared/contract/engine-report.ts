import { z } from 'zod';

/** The compute backends the engine can run on, fastest first. */
export const BackendNameSchema = z.enum(['tensorflow', 'wasm', 'cpu']);

/**
 * How a run's training steps execute on native TensorFlow: the whole step as one graph
 * (Strata's graph engine), or op by op through tfjs (fallback backends, layers without a
 * graph form yet).
 */
export const ExecutionModeSchema = z.enum(['graph', 'op-by-op']);
export type ExecutionMode = z.infer<typeof ExecutionModeSchema>;
export type BackendName = z.infer<typeof BackendNameSchema>;

/** Stable codes for what can be wrong with the engine; the window and the CLI key on these. */
export const EngineProblemCodeSchema = z.enum([
  'NATIVE_NOT_INSTALLED',
  'NATIVE_BINDING_MISSING',
  'NATIVE_LIBRARY_MISSING',
  'NATIVE_LIBRARY_MISMATCH',
  'NATIVE_LOAD_FAILED',
  'FORCED_BACKEND_UNAVAILABLE',
  'UNKNOWN_FORCED_BACKEND',
  'FALLBACK_IN_USE',
  'WASM_UNAVAILABLE',
  'GRAPH_ENGINE_MISSING',
]);
export type EngineProblemCode = z.infer<typeof EngineProblemCodeSchema>;

/** One thing wrong with the engine, with what the user should do about it. */
export const EngineProblemSchema = z.object({
  code: EngineProblemCodeSchema,
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  fix: z.string(),
});
export type EngineProblem = z.infer<typeof EngineProblemSchema>;

/** What `strata doctor --json` prints: which engine runs, and how fast it measured. */
export const DoctorReportSchema = z.object({
  /** null when no backend could start (e.g. a forced backend that cannot load). */
  backend: BackendNameSchema.nullable(),
  native: z.boolean(),
  tfVersion: z.string(),
  /** libtensorflow's own version when native, else null. */
  libtensorflowVersion: z.string().nullable(),
  threads: z.number().int().nonnegative(),
  matmulGflops: z.number().nonnegative(),
  /** How many times slower than native this backend measured on this machine, when known. */
  slowdownVsNative: z.number().positive().nullable(),
  forced: BackendNameSchema.nullable(),
  /**
   * Whether Strata's graph engine (its own addon over libtensorflow's graph API) loads:
   * on native TensorFlow, training runs each step as one graph with it, op by op without.
   */
  graphEngine: z.boolean(),
  problems: z.array(EngineProblemSchema),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;
