import '@xyflow/react/dist/style.css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ClientContext } from './client/client-context.tsx';
import { connectStrata } from './client/strata-client.ts';
import { GanRunner } from './panels/gan-runner.ts';
import { TrainingRunner } from './panels/training-runner.ts';
import { AppStoresContext, type AppStores } from './state/app-context.tsx';
import { EditorStore } from './state/editor-store.ts';
import { ExternalStore } from './state/external-store.ts';

/** Connects to main first: without the contract there is nothing the window can do. */
async function boot(): Promise<void> {
  const rootEl = document.getElementById('root');
  if (!rootEl) throw new Error('index.html has no #root');
  const root = createRoot(rootEl);
  root.render(<div className="boot" data-testid="boot">Connecting to Strata…</div>);
  try {
    const client = await connectStrata();
    const stores: AppStores = { editor: new EditorStore(), training: new TrainingRunner(client), gan: new GanRunner(client), inspected: new ExternalStore<string | null>(null) };
    root.render(
      <StrictMode>
        <ClientContext.Provider value={client}>
          <AppStoresContext.Provider value={stores}>
            <App />
          </AppStoresContext.Provider>
        </ClientContext.Provider>
      </StrictMode>,
    );
  } catch (err) {
    root.render(
      <div className="boot boot-error" data-testid="boot-error" role="alert">
        <h1>Strata could not connect</h1>
        <p>{err instanceof Error ? err.message : String(err)}</p>
        <p className="muted">In a browser, open the exact URL that <code>strata serve</code> printed (it carries the access token).</p>
      </div>,
    );
  }
}

void boot();
