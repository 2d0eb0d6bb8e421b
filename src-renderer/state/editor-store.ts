import { GraphEditError } from '../../src-shared/graph/graph-edits.ts';
import { analyzeGraph } from '../../src-shared/graph/analyze-graph.ts';
import type { GraphAnalysis } from '../../src-shared/graph/graph-analysis.ts';
import type { DatasetScan, DatasetShape } from '../../src-shared/contract/commands.ts';
import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { GanProjectSettings, GanTrainingConfig } from '../../src-shared/contract/gan.ts';
import { TrainingConfigSchema, type Project, type TrainingConfig } from '../../src-shared/contract/project.ts';
import { classCountFor, dataNeeds } from './data-needs.ts';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { ExternalStore } from './external-store.ts';
import { analyzeGanCanvas } from './gan-canvas-analysis.ts';
import { contentFromProject, sameContent, UNTITLED, type ProjectContent } from './project-doc.ts';
import { applyDiff, diffSpecs, type SpecDiff } from './spec-diff.ts';

/** What is selected on the canvas. Not part of the model, so never in undo history. */
export interface Selection {
  nodes: readonly string[];
  edges: readonly string[];
}

export interface EditorState {
  projectName: string;
  spec: ModelSpec;
  /** Recomputed from `spec` on every edit, so every view reads the same shapes and issues. */
  analysis: GraphAnalysis;
  selection: Selection;
  /** The dataset the model trains on; null until a folder or file is chosen. */
  data: DataConfig | null;
  /** What the last scan of that folder or file found (classes, counts, thumbnails; columns). */
  scan: DatasetScan | null;
  /** For tables, texts and series: the sample shape and targets of `data` as loaded (null until known). */
  dataShape: DatasetShape | null;
  /** A scan of the data folder is under way. */
  scanning: boolean;
  /** Why the last scan failed (names the folder and what to do); null after a good scan. */
  scanError: string | null;
  training: TrainingConfig;
  /** Transfer learning: an imported model's weights folder that training starts from, or null. */
  weights: string | null;
  /**
   * Non-null in a GAN project: the canvas (`spec`) then holds the generator and the
   * discriminator side by side, and these are the alternating loop's settings.
   */
  gan: GanProjectSettings | null;
  /** The project file this window last opened or saved; null until then. */
  projectPath: string | null;
  /** The project as last opened or saved (or as the window started): "unsaved changes" is a difference from this. */
  saved: ProjectContent;
  canUndo: boolean;
  canRedo: boolean;
  /** Bumped when a whole model is loaded, so the canvas knows to fit it into view. */
  loadCount: number;
  /** A short message about the last edit that could not be made; the canvas shows it briefly. */
  notice: { id: number; text: string } | null;
}

export function blankSpec(name = 'model'): ModelSpec {
  return { schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model', config: { name, layers: [] }, layout: {} };
}

const EMPTY_SELECTION: Selection = { nodes: [], edges: [] };

/**
 * The analysis, told the dataset's class count once it is known (so the output is checked too).
 * A GAN canvas holds two models with one output each and no classes, so it is analysed as such.
 */
function analyzeFor(spec: ModelSpec, s: Pick<EditorState, 'data' | 'scan' | 'dataShape' | 'gan'>): GraphAnalysis {
  if (s.gan) return analyzeGanCanvas(spec);
  const classes = classCountFor(dataNeeds(s.data, s.scan, s.dataShape));
  return analyzeGraph(spec, classes === undefined ? {} : { classes });
}
const HISTORY_LIMIT = 200;

/**
 * One undo step: the graph's diff, and — when the step made the project a GAN project or a
 * classifier project again (a template) — that switch, so Ctrl+Z brings back the old kind
 * together with the old graph.
 */
interface HistoryEntry {
  diff: SpecDiff | null;
  gan?: { before: GanProjectSettings | null; after: GanProjectSettings | null };
}

/**
 * The editor's state and the only way to change it. Model edits go through `edit` and are
 * recorded as diffs; a gesture (a node drag) is bracketed by begin/endGesture and becomes
 * one history entry. Selection and project settings change without touching history.
 */
export class EditorStore extends ExternalStore<EditorState> {
  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[] = [];
  private gestureBase: ModelSpec | null = null;

  private scanToken = 0;

  constructor(spec: ModelSpec = blankSpec(), projectName = 'Untitled project') {
    const training = TrainingConfigSchema.parse({});
    super({
      projectName, spec, analysis: analyzeGraph(spec), selection: EMPTY_SELECTION,
      data: null, scan: null, dataShape: null, scanning: false, scanError: null, training, weights: null, gan: null, canUndo: false, canRedo: false, loadCount: 0, notice: null,
      projectPath: null, saved: { projectName, spec, data: null, training, weights: null, gan: null },
    });
  }

  /**
   * Applies a pure graph edit; records it for undo unless a gesture is in progress. An edit
   * the graph refuses (GraphEditError) becomes a notice instead; returns whether it applied.
   */
  edit(change: (spec: ModelSpec) => ModelSpec): boolean {
    const before = this.get().spec;
    let after: ModelSpec;
    try {
      after = change(before);
    } catch (err) {
      if (err instanceof GraphEditError) {
        this.notify(err.message);
        return false;
      }
      throw err;
    }
    if (after === before) return true;
    if (this.gestureBase === null) this.record(diffSpecs(before, after));
    this.replaceSpec(after);
    return true;
  }

  /** Starts a gesture: edits until endGesture collapse into one undo entry. */
  beginGesture(): void {
    if (this.gestureBase === null) this.gestureBase = this.get().spec;
  }

  endGesture(): void {
    const base = this.gestureBase;
    this.gestureBase = null;
    if (base) this.record(diffSpecs(base, this.get().spec));
    this.set((s) => ({ ...s, canUndo: this.undoStack.length > 0, canRedo: this.redoStack.length > 0 }));
  }

  undo(): void {
    const entry = this.undoStack.pop();
    if (!entry) return;
    this.redoStack.push(entry);
    this.applyEntry(entry, 'backward');
  }

  redo(): void {
    const entry = this.redoStack.pop();
    if (!entry) return;
    this.undoStack.push(entry);
    this.applyEntry(entry, 'forward');
  }

  private applyEntry(entry: HistoryEntry, direction: 'forward' | 'backward'): void {
    // The kind first, so the spec's analysis below is made for the kind it belongs to.
    if (entry.gan) {
      const gan = direction === 'forward' ? entry.gan.after : entry.gan.before;
      this.set((s) => ({ ...s, gan }));
    }
    const spec = entry.diff ? applyDiff(this.get().spec, entry.diff, direction) : this.get().spec;
    if (entry.gan) this.set((s) => ({ ...s, spec, analysis: analyzeFor(spec, s), canUndo: this.undoStack.length > 0, canRedo: this.redoStack.length > 0 }));
    else this.replaceSpec(spec);
  }

  /**
   * Replaces the whole model (a template, an imported model). It is recorded like any edit,
   * so "oops, that replaced my graph" is one Ctrl+Z away. `weights`: the imported model's
   * weights folder that training will start from; any other load clears it, since those
   * weights belong to the graph they came with. `gan`: the settings when `spec` is a joined
   * GAN canvas (the project becomes a GAN project); null makes it a classifier project.
   */
  load(spec: ModelSpec, projectName?: string, weights: string | null = null, gan: GanProjectSettings | null = null): void {
    this.gestureBase = null;
    const before = this.get().gan;
    const diff = diffSpecs(this.get().spec, spec);
    if (before !== gan) this.pushEntry({ diff, gan: { before, after: gan } });
    else this.record(diff);
    this.set((s) => ({ ...s, gan }));
    this.replaceSpec(spec, true);
    this.set((s) => ({ ...s, selection: EMPTY_SELECTION, projectName: projectName ?? s.projectName, weights, loadCount: s.loadCount + 1 }));
  }

  /** Changes a GAN project's training settings (not history, like the classifier's settings). */
  setGanTraining(patch: Partial<GanTrainingConfig>): void {
    this.set((s) => (s.gan ? { ...s, gan: { ...s.gan, training: { ...s.gan.training, ...patch } } } : s));
  }

  /** Stops starting training from imported weights (every run starts from random weights again). */
  clearWeights(): void {
    this.set((s) => ({ ...s, weights: null }));
  }

  /**
   * Makes an opened project the window's project: its graph, name, data and training
   * settings, with a clean slate. Undo history is cleared — Ctrl+Z must not bring back
   * another file's graph under this file's name and data — which is why opening over
   * unsaved changes asks first. The data folder still has to be scanned (beginScan).
   */
  openProject(project: Project, path: string): void {
    const content = contentFromProject(project);
    this.replaceProject(content, path, content);
  }

  /**
   * Brings back unsaved edits from an autosave backup after a crash: the window holds the
   * edits, and "unsaved changes" is measured against the file as it is on disk (`onDisk`;
   * null when the project was never saved or its file is gone), so the edits show as
   * unsaved until the person saves them.
   */
  restoreUnsaved(edits: Project, path: string | null, onDisk: Project | null): void {
    const fresh: ProjectContent = { projectName: UNTITLED, spec: blankSpec(), data: null, training: TrainingConfigSchema.parse({}), weights: null, gan: null };
    this.replaceProject(contentFromProject(edits), path, onDisk ? contentFromProject(onDisk) : fresh);
  }

  private replaceProject(content: ProjectContent, path: string | null, saved: ProjectContent): void {
    this.gestureBase = null;
    this.undoStack = [];
    this.redoStack = [];
    this.scanToken += 1; // a scan of the previous project's folder must not land here
    this.set((s) => ({
      ...s, ...content, analysis: content.gan ? analyzeGanCanvas(content.spec) : analyzeGraph(content.spec), selection: EMPTY_SELECTION,
      scan: null, dataShape: null, scanning: false, scanError: null, canUndo: false, canRedo: false,
      loadCount: s.loadCount + 1, notice: null, projectPath: path, saved,
    }));
  }

  /** Records that `content` (what was sent to `project.save`) is now in the file at `path`. */
  markSaved(path: string, content: ProjectContent): void {
    this.set((s) => ({ ...s, projectPath: path, saved: content }));
  }

  /** The parts of the state a project file holds. */
  content(): ProjectContent {
    const { projectName, spec, data, training, weights, gan } = this.get();
    return { projectName, spec, data, training, weights, gan };
  }

  /** Starts a data-folder scan; returns a token that endScan needs, so only the latest scan lands. */
  beginScan(): number {
    this.scanToken += 1;
    this.set((s) => ({ ...s, scanning: true, scanError: null }));
    return this.scanToken;
  }

  /**
   * Ends a scan: stores what it found (and the data config, when the scan chose the folder)
   * or why it failed. A scan that a newer scan or an opened project overtook is dropped.
   */
  endScan(token: number, outcome: { scan: DatasetScan; data?: DataConfig } | { error: string }): boolean {
    if (token !== this.scanToken) return false;
    this.set((s) => {
      if ('error' in outcome) return { ...s, scanning: false, scanError: outcome.error };
      const next = { ...s, scanning: false, scanError: null, scan: outcome.scan, data: outcome.data ?? s.data, dataShape: null };
      return { ...next, analysis: analyzeFor(s.spec, next) };
    });
    return true;
  }

  select(selection: Selection): void {
    const cur = this.get().selection;
    if (sameList(cur.nodes, selection.nodes) && sameList(cur.edges, selection.edges)) return;
    this.set((s) => ({ ...s, selection }));
  }

  /** Says why an edit was refused (a loop, a layer that takes no input); replaces the last notice. */
  notify(text: string): void {
    this.set((s) => ({ ...s, notice: { id: (s.notice?.id ?? 0) + 1, text } }));
  }

  clearNotice(id: number): void {
    this.set((s) => (s.notice?.id === id ? { ...s, notice: null } : s));
  }

  setProjectName(projectName: string): void {
    this.set((s) => ({ ...s, projectName }));
  }

  setData(data: DataConfig | null, scan?: DatasetScan | null): void {
    this.set((s) => {
      // A changed data config makes the loaded shape stale until the panel asks again.
      const next = { ...s, data, scan: scan === undefined ? s.scan : scan, dataShape: null };
      return { ...next, analysis: analyzeFor(s.spec, next) };
    });
  }

  /** The loaded shape of `data`, if `data` has not changed since it was asked for. */
  setDataShape(data: DataConfig, dataShape: DatasetShape | null): void {
    this.set((s) => {
      if (s.data !== data) return s;
      const next = { ...s, dataShape };
      return { ...next, analysis: analyzeFor(s.spec, next) };
    });
  }

  setTraining(patch: Partial<TrainingConfig>): void {
    this.set((s) => ({ ...s, training: { ...s.training, ...patch } }));
  }

  private record(diff: SpecDiff | null): void {
    if (diff) this.pushEntry({ diff });
  }

  private pushEntry(entry: HistoryEntry): void {
    this.undoStack.push(entry);
    if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    this.redoStack = [];
  }

  /** `reanalyze`: analyse even an unchanged graph (the project's kind changed under it). */
  private replaceSpec(spec: ModelSpec, reanalyze = false): void {
    const names = new Set(spec.config.layers.map((l) => l.name));
    this.set((s) => ({
      // A move changes only the layout: the graph, and so its analysis, stays the same.
      ...s, spec, analysis: !reanalyze && spec.config === s.spec.config && spec.blocks === s.spec.blocks ? s.analysis : analyzeFor(spec, s),
      // A deleted layer cannot stay selected; edges are re-keyed by the canvas on the next click.
      selection: s.selection.nodes.every((n) => names.has(n)) ? s.selection : { nodes: s.selection.nodes.filter((n) => names.has(n)), edges: [] },
      canUndo: this.undoStack.length > 0, canRedo: this.redoStack.length > 0,
    }));
  }
}

/** Whether the window holds changes that its project file (or the fresh window) does not. */
export function isDirty(s: EditorState): boolean {
  return !sameContent(s, s.saved);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
