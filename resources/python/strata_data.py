"""Strata's data preparation, in Python (part of a Strata "python" export; only numpy, TensorFlow and the
standard library). It prepares a data folder the way Strata did when it trained the run, so a model
trained here sees the same numbers:

- the train / validation split is Strata's own: a file's (or row's) side is fixed by a SHA-256 of
  (seed, class, path inside the class folder), so the same folder splits the same way here;
- images: alpha flattened onto white, stretched to the model's size (Lanczos), grey as Rec. 709
  luminance in linear light (what libvips does), 8-bit, then scaled to 0-1;
- CSV tables: numbers standardised and categories one-hot, with the statistics Strata computed on
  its training split (manifest.json "preprocessing"), missing numbers -> the mean;
- texts: Strata's tokens (runs of letters, digits and apostrophes), its vocabulary, padded in front;
- time series: windows in time order with Strata's gaps between the splits and its statistics.

The test split (if the run had one) is left out: it was never trained on.
"""
import csv
import hashlib
import io
import math
import os
import re
import unicodedata


IMAGE_EXTENSIONS = {'.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp'}
# Strata reads TIFF too (through libvips); TensorFlow cannot decode it.
UNDECODABLE_HERE = {'.tif', '.tiff'}
MISSING = {'', 'na', 'n/a', 'nan', 'null', 'none', '?'}
NUMBER = re.compile(r'^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$', re.ASCII)
# [^\W_] is a letter or a digit in any script: JavaScript's [\p{L}\p{N}].
TOKEN = re.compile(r"(?:[^\W_]|')+")
MAX_TEXT_BYTES = 10 * 1024 * 1024


class DataError(Exception):
    """A data folder or file that cannot be prepared as the run's data; the message says what to do."""


# ---- the split ---------------------------------------------------------------------------------------

def code_unit_key(name):
    """Strata orders names by UTF-16 code unit (never by locale): a class's index is its label."""
    return name.encode('utf-16-be', 'surrogatepass')


def split_score(seed, group, key):
    text = f"{int(seed)}\u0000{unicodedata.normalize('NFC', group)}\u0000{unicodedata.normalize('NFC', key)}"
    return int.from_bytes(hashlib.sha256(text.encode('utf-8')).digest()[:4], 'big') / 2 ** 32


def assign_splits(group, keys, validation_split, test_split, seed):
    """Strata's assignSplits: test below test_split, validation below test+validation, else train."""
    scores = [split_score(seed, group, k) for k in keys]
    sides = ['test' if s < test_split else 'validation' if s < test_split + validation_split else 'train' for s in scores]
    if len(keys) < 2:
        return ['train'] * len(keys)

    def move(source, target, lowest):
        best = -1
        for i, s in enumerate(scores):
            if sides[i] == source and (best < 0 or (s < scores[best] if lowest else s > scores[best])):
                best = i
        if best >= 0:
            sides[best] = target

    if test_split > 0 and len(keys) >= 3 and 'test' not in sides:
        move('validation' if 'validation' in sides else 'train', 'test', True)
    if 'validation' not in sides:
        move('train', 'validation', True)
    if 'train' not in sides:
        move('validation' if sides.count('validation') > 1 else 'test', 'train', False)
    return sides


# ---- CSV ---------------------------------------------------------------------------------------------

def is_missing(value):
    return value.strip().lower() in MISSING


def parse_number(value):
    t = value.strip()
    if not NUMBER.match(t):
        return None
    n = float(t)
    return n if math.isfinite(n) else None


def guess_delimiter(text):
    """The delimiter among , ; tab | that splits the first lines into the same number (> 1) of fields."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_fields = ',', 0
    for d in [',', ';', '\t', '|']:
        counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        if counts and min(counts) == max(counts) and counts[0] > best_fields:
            best, best_fields = d, counts[0]
    return best


def read_csv(path, delimiter=None):
    """(columns, rows, row numbers, skipped): rows with one value per column, in file order (numbered from 1
    after the header, blank lines not counted, as Strata numbers them); ragged rows skipped."""
    if not os.path.isfile(path):
        raise DataError(f'{path} is not a file. Pass the CSV with --data.')
    with open(path, encoding='utf-8-sig', newline='') as f:
        text = f.read()
    if delimiter is None:
        delimiter = guess_delimiter(text)
    parsed = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row and not (len(row) == 1 and row[0].strip() == '')]
    if not parsed:
        raise DataError(f'{path} is empty.')
    columns = [name.strip() or f'column_{i + 1}' for i, name in enumerate(parsed[0])]
    rows, numbers, skipped = [], [], []
    for r, row in enumerate(parsed[1:], start=1):
        if len(row) != len(columns):
            skipped.append((f'row {r}', f'has {len(row)} values but the header has {len(columns)} columns'))
        else:
            rows.append(row)
            numbers.append(r)
    return columns, rows, numbers, skipped


def column_index(columns, name, role, path):
    if name not in columns:
        raise DataError(f'{path} has no {role} column "{name}" (its columns: {", ".join(columns)}).')
    return columns.index(name)


# ---- folders -----------------------------------------------------------------------------------------

def _inside(real_root, full):
    real = os.path.realpath(full)
    return real == real_root or real.startswith(real_root + os.sep)


def _sorted_names(folder):
    names = [n for n in os.listdir(folder) if not n.startswith('.')]
    return sorted(names, key=code_unit_key)


def list_class_folders(root, wanted):
    """[(class, [path relative to root, '/'-separated])]: Strata's listImageFolder. `wanted(name)` picks files."""
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise DataError(f'{root} is not a folder. Pass the data folder with --data.')
    real_root = os.path.realpath(root)
    classes = []
    for name in _sorted_names(root):
        full = os.path.join(root, name)
        if os.path.isdir(full) and _inside(real_root, full):
            files = []
            _collect(root, real_root, name, files, set(), wanted)
            classes.append((name, sorted(files, key=code_unit_key)))
    if not classes:
        raise DataError(f'{root} has no class sub-folders (one folder per class, e.g. cats/ and dogs/).')
    return classes


def _collect(root, real_root, rel_dir, files, seen, wanted):
    folder = os.path.join(root, *rel_dir.split('/'))
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    for name in _sorted_names(folder):
        full = os.path.join(folder, name)
        rel = f'{rel_dir}/{name}'
        if not _inside(real_root, full):
            continue
        if os.path.isdir(full):
            _collect(root, real_root, rel, files, seen, wanted)
        elif os.path.isfile(full) and wanted(name):
            files.append(rel)


def _utf8_name(name):
    try:
        name.encode('utf-8')
        return True
    except UnicodeEncodeError:
        return False  # Strata cannot open such names either, and skips them


def is_image_name(name):
    return _utf8_name(name) and os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS | UNDECODABLE_HERE


def list_labelled_images(root, labels, delimiter=None):
    """A flat folder labelled by a CSV: [(class, [relative paths])], Strata's listLabelledImages."""
    root = os.path.abspath(root)
    csv_file = os.path.join(root, labels['csv']) if not os.path.isabs(labels['csv']) else labels['csv']
    columns, rows, _, _ = read_csv(csv_file, delimiter)

    def pick(given, pattern, role):
        name = given or next((c for c in columns if re.match(pattern, c.strip(), re.I)), None)
        if not name:
            raise DataError(f'{csv_file} has no {role}; name it in manifest.json (data.labels).')
        return column_index(columns, name, role, csv_file)

    file_col = pick(labels.get('fileColumn'), r'^(file|filename|file_name|image|image_id|path|id|name)$', 'file column')
    label_col = pick(labels.get('labelColumn'), r'^(label|labels|class|target|category|y)$', 'label column')
    real_root = os.path.realpath(root)
    by_class, named = {}, set()
    for row in rows:
        rel = row[file_col].strip().replace('\\', '/')
        label = row[label_col].strip()
        full = os.path.join(root, rel)
        if is_missing(label) or rel == '' or os.path.isabs(rel) or '..' in rel.split('/') or rel in named:
            continue
        if not is_image_name(os.path.basename(rel)) or not os.path.exists(full) or not _inside(real_root, full):
            continue
        named.add(rel)
        by_class.setdefault(label, []).append(rel)
    return [(name, sorted(by_class[name], key=code_unit_key)) for name in sorted(by_class, key=code_unit_key)]


def class_indexes(found, classes, root):
    """Maps the folder's classes to the run's class order; a class the run never had is refused."""
    unknown = [name for name, _ in found if name not in classes]
    if unknown:
        raise DataError(f'{root} has classes the model was not built for: {", ".join(unknown)} (it knows {", ".join(classes)}).')
    return {name: classes.index(name) for name, _ in found}
