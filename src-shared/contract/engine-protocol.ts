import { z } from 'zod';
import { ModelSpecSchema } from '../spec/model-spec.ts';
import { EvaluationExampleSchema, EvaluationSchema, EvaluationSourceSchema } from './evaluation.ts';
import { ExportFormatSchema, ExportResultSchema } from './export.ts';
import {
  ExplainInputSchema, ExplainMethodSchema, ExplainOptionsSchema, ExplanationSchema, FeatureExplainInputSchema, FeatureExplanationSchema,
  RunSampleSchema, SanityCheckSchema,
} from './explanation.ts';
import { DoctorReportSchema } from './engine-report.ts';
import { DataConfigSchema, ImageDataConfigSchema } from './data-config.ts';
import { GanEventSchema, GanSpecSchema, GanTrainingConfigSchema } from './gan.ts';
import { TrainingConfigSchema } from './project.ts';
import { RunRecordSchema } from './run-record.ts';
import { TrainEventSchema } from './streams.ts';

/**
 * What main asks of the engine process, in the same style as the public contract. The
 * engine works on run folders; main owns run ids, the run store layout and the window.
 */
export const PredictionSchema = z.object({
  file: z.string(),
  predicted: z.string(),
  probabilities: z.record(z.string(), z.number()),
});
export type Prediction = z.infer<typeof PredictionSchema>;

export const engineCommands = {
  'engine.doctor': { args: z.object({}), result: DoctorReportSchema },
  'run.stop': { args: z.object({ runId: z.string() }), result: z.object({ stopping: z.boolean() }) },
  'run.pause': { args: z.object({ runId: z.string(), paused: z.boolean() }), result: z.object({ paused: z.boolean() }) },
  'run.samples': { args: z.object({ runDir: z.string(), count: z.number().int().min(1).max(64) }), result: z.array(RunSampleSchema) },
  'run.explain': {
    args: z.object({ runDir: z.string(), input: ExplainInputSchema, methods: z.array(ExplainMethodSchema).min(1), options: ExplainOptionsSchema }),
    result: ExplanationSchema,
  },
  'run.explainSanity': {
    args: z.object({ runDir: z.string(), input: ExplainInputSchema, method: ExplainMethodSchema, options: ExplainOptionsSchema }),
    result: SanityCheckSchema,
  },
  'run.explainFeatures': { args: z.object({ runDir: z.string(), input: FeatureExplainInputSchema }), result: FeatureExplanationSchema },
  'run.evaluate': { args: z.object({ runDir: z.string(), source: EvaluationSourceSchema }), result: EvaluationSchema },
  'run.evaluationExamples': {
    args: z.object({ runDir: z.string(), source: EvaluationSourceSchema, actual: z.number().int().optional(), predicted: z.number().int().optional(), limit: z.number().int() }),
    result: z.array(EvaluationExampleSchema),
  },
  'run.predict': { args: z.object({ runDir: z.string(), files: z.array(z.string()).min(1) }), result: z.array(PredictionSchema) },
  'run.export': {
    args: z.object({ runDir: z.string(), format: ExportFormatSchema, out: z.string(), distributed: z.boolean() }),
    result: ExportResultSchema,
  },
  /** A GAN run's generator writes `count` PNGs to `out`. */
  'gan.generate': {
    args: z.object({ runDir: z.string(), count: z.number().int().min(1), out: z.string(), seed: z.number().int() }),
    result: z.object({ files: z.array(z.string()), epoch: z.number().int() }),
  },
} as const;

export const engineStreams = {
  /** Trains one run; ends after the run's own `end` event. Stop it with run.stop. */
  'run.train': {
    args: z.object({ runId: z.string(), runDir: z.string(), spec: ModelSpecSchema, data: DataConfigSchema, training: TrainingConfigSchema, resume: z.boolean().optional(),
      initialWeights: z.string().optional(),
      sweep: RunRecordSchema.shape.sweep }),
    event: TrainEventSchema,
  },
  /** Trains one GAN run on every image of an image folder; ends after its `end` event. Stop it with run.stop. */
  'gan.train': {
    args: z.object({ runId: z.string(), runDir: z.string(), gan: GanSpecSchema, data: ImageDataConfigSchema, training: GanTrainingConfigSchema }),
    event: GanEventSchema,
  },
} as const;
