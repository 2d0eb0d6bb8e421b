// Entry of the engine process: a child process of the web host / CLI (IPC channel), or an
// Electron utilityProcess (parentPort). Training runs here so that a native crash, an
// out-of-memory or a runaway loop never takes the window down.
import { createEngineRouter } from './engine-router.ts';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const router = createEngineRouter();

if (parentPort) {
  const connection = router.connect((msg) => parentPort.postMessage(msg));
  parentPort.on('message', (e) => connection.receive(e.data));
} else if (process.send) {
  const send = process.send.bind(process);
  const connection = router.connect((msg) => { send(msg); });
  process.on('message', (msg) => connection.receive(msg));
  process.on('disconnect', () => process.exit(0)); // the host is gone: nothing to report to
} else {
  console.error('strata engine: start me from Strata (no parent channel)');
  process.exit(2);
}
