/**
 * Breadcrumbs for a path as main reports it, POSIX ("/home/a/b") or Windows ("C:\\a\\b"):
 * each crumb is a label and the full path to list when it is clicked.
 */
export function pathCrumbs(path: string): Array<{ label: string; path: string }> {
  const windows = /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
  const sep = windows ? '\\' : '/';
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  const crumbs: Array<{ label: string; path: string }> = [];
  if (!windows) crumbs.push({ label: '/', path: '/' });
  let acc = windows ? '' : '';
  parts.forEach((part, i) => {
    if (windows && i === 0) acc = `${part}${sep}`;
    else acc = acc === '' || acc.endsWith(sep) ? `${acc}${part}` : `${acc}${sep}${part}`;
    if (!windows && !acc.startsWith('/')) acc = `/${acc}`;
    crumbs.push({ label: part, path: acc });
  });
  return crumbs;
}

/** Joins a folder and an entry name with the folder's own separator. */
export function joinPath(dir: string, name: string): string {
  const sep = /^[A-Za-z]:[\\/]/.test(dir) || dir.startsWith('\\\\') ? '\\' : '/';
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}${sep}${name}`;
}

const IMAGE_FILE = /\.(png|jpe?g|gif|bmp|webp)$/i;
export function isImageFile(name: string): boolean {
  return IMAGE_FILE.test(name);
}

const TABLE_FILE = /\.(csv|tsv)$/i;
/** A CSV or TSV file: a table, a time series, texts in a column, or a flat image folder's labels. */
export function isTableFile(name: string): boolean {
  return TABLE_FILE.test(name);
}

const MODEL_FILE = /\.(json|keras|h5|hdf5)$/i;

/** What the model importer reads: a tfjs model.json or Keras config (JSON), a .keras or .h5 file. */
export function isModelFile(name: string): boolean {
  return MODEL_FILE.test(name);
}
