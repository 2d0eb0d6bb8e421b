// Which links may leave the app for the system browser. shell.openExternal hands a URL to
// the operating system, which will happily run file:, smb: or custom-scheme handlers, so an
// attacker-controlled link is code execution on some systems. Only https pages on hosts we
// chose are opened.

/**
 * Hosts the studio links to, matched exactly (no subdomain wildcards: github.io, for one,
 * serves anybody's pages).
 * - github.com: Strata's source, issues and releases.
 * - www.tensorflow.org, tensorflow.org: TensorFlow.js and Keras layer references behind the
 *   catalog's help links.
 * - keras.io: the Keras layer docs that our spec format mirrors.
 * - onnx.ai: the ONNX operator docs for the ONNX export.
 */
export const EXTERNAL_HOST_ALLOW_LIST: ReadonlySet<string> = new Set([
  'github.com',
  'www.tensorflow.org',
  'tensorflow.org',
  'keras.io',
  'onnx.ai',
]);

/** True only for an https URL on an allow-listed host, with no credentials and the default port. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:'
    && parsed.username === '' && parsed.password === ''
    && parsed.port === ''
    && EXTERNAL_HOST_ALLOW_LIST.has(parsed.hostname);
}
