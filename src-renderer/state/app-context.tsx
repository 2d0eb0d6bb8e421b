import { createContext, useContext } from 'react';
import type { GanRunner } from '../panels/gan-runner.ts';
import type { TrainingRunner } from '../panels/training-runner.ts';
import type { EditorStore, EditorState } from './editor-store.ts';
import { useStore, type ExternalStore } from './external-store.ts';
import type { GanSession } from './gan-session.ts';
import type { TrainingSession } from './training-session.ts';

/** The stores every part of the window shares; created once in main.tsx. */
export interface AppStores {
  editor: EditorStore;
  training: TrainingRunner;
  /** A GAN project's runs: the one being trained, or a past one opened from the Train tab. */
  gan: GanRunner;
  /** The run the Explain and Evaluate tabs look at (null: the run trained last in this window). */
  inspected: ExternalStore<string | null>;
}

export const AppStoresContext = createContext<AppStores | null>(null);

export function useAppStores(): AppStores {
  const stores = useContext(AppStoresContext);
  if (!stores) throw new Error('useAppStores outside <AppStoresContext.Provider>');
  return stores;
}

/** A slice of the editor state; re-renders when the slice changes. */
export function useEditor<T>(select: (s: EditorState) => T): T {
  return useStore(useAppStores().editor, select);
}

export function useTrainingSession<T>(select: (s: TrainingSession) => T): T {
  return useStore(useAppStores().training.session, select);
}

export function useGanSession<T>(select: (s: GanSession) => T): T {
  return useStore(useAppStores().gan.session, select);
}
