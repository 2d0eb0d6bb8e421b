// The renderer's Content Security Policy, in one place. src-renderer/index.html carries it as
// a <meta> tag (so the web host's page and Electron's file:// page get the same policy), and
// Electron also sends it as a response header, where the header-only directive
// frame-ancestors means something. A test holds index.html's meta equal to RENDERER_CSP.

/** Each directive and its sources; kept as data so tests can assert single directives. */
export const RENDERER_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  // Nothing loads unless a directive below names it.
  'default-src': ["'none'"],
  // Only the bundled scripts: no inline script, no eval, no remote code.
  'script-src': ["'self'"],
  // React Flow and recharts set inline style attributes; styles cannot run code.
  'style-src': ["'self'", "'unsafe-inline'"],
  // Thumbnails, inputs and saliency maps arrive from main as data: URLs; the favicon is one too.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // 'self' also covers ws:/wss: to the page's own host (CSP3), which is all the web host
  // needs for its WebSocket; under Electron the contract goes over IPC and nothing connects.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  // The studio's forms are handled in script (submit is always prevented); none posts anywhere.
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'none'"],
};

function serialise(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives).map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** The policy as src-renderer/index.html's meta tag states it. */
export const RENDERER_CSP = serialise(RENDERER_CSP_DIRECTIVES);

/**
 * The policy as a response header. frame-ancestors is ignored (with a console warning) in a
 * meta tag, so it lives only here. The web host may send this same constant.
 */
export const RENDERER_CSP_HEADER = serialise({ ...RENDERER_CSP_DIRECTIVES, 'frame-ancestors': ["'none'"] });

/** Parses a policy string back into directives, for asserting what a page actually carries. */
export function parseCsp(policy: string): Record<string, string[]> {
  const directives: Record<string, string[]> = {};
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives[name.toLowerCase()] = sources;
  }
  return directives;
}
