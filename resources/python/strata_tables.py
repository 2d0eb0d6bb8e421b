"""CSV tables, texts and time series the way Strata prepares them (part of a Strata "python" export).
The statistics, categories and vocabulary come from the run (manifest.json "preprocessing"), computed
by Strata on its training split, so a row becomes exactly the numbers Strata fed the model."""
import os
import unicodedata

import numpy as np

from strata_data import (
    MAX_TEXT_BYTES, TOKEN, DataError, assign_splits, class_indexes, column_index, is_missing, list_class_folders,
    parse_number, read_csv,
)


def _sides(keys, group, data):
    return assign_splits(group, keys, data['validationSplit'], data.get('testSplit', 0), data['seed'])


def _pick(x, y, indexes):
    return x[indexes], y[indexes]


def load_table(data, preprocessing, targets, path, delimiter=None):
    """A CSV table: Strata's loadTableDataset with the run's feature statistics and categories."""
    columns, rows, numbers, skipped = read_csv(path, delimiter)
    t = column_index(columns, data['target'], 'target', path)
    regression = targets['type'] == 'regression'
    keep, ids = [], []
    for number, row in zip(numbers, rows):
        value = row[t]
        if is_missing(value) or (regression and parse_number(value) is None):
            skipped.append((f'row {number}', f'target "{value}" is missing or not a number'))
        elif not regression and value.strip() not in targets['classes']:
            skipped.append((f'row {number}', f'class "{value.strip()}" is not one the model was trained on'))
        else:
            keep.append(row)
            ids.append(f'row {number}')
    if not keep:
        raise DataError(f'{path} has no row with a usable value in the target column "{data["target"]}".')
    features = preprocessing['features']
    col_of = {f['column']: column_index(columns, f['column'], 'feature', path) for f in features}
    width = sum(1 if f['type'] == 'numeric' else len(f['categories']) for f in features)
    x = np.zeros((len(keep), width), np.float32)
    for k, row in enumerate(keep):
        o = 0
        for f in features:
            raw = row[col_of[f['column']]]
            if f['type'] == 'numeric':
                v = parse_number(raw)
                x[k, o] = 0.0 if v is None else (v - f['mean']) / f['std']  # missing -> the training mean
                o += 1
            else:
                value = raw.strip()
                if value in f['categories']:
                    x[k, o + f['categories'].index(value)] = 1.0  # an unseen category stays all zeros
                o += len(f['categories'])
    if regression:
        y = np.array([[(parse_number(row[t]) - targets['mean'][0]) / targets['std'][0]] for row in keep], np.float32)
    else:
        y = np.array([targets['classes'].index(row[t].strip()) for row in keep], np.int32)
    # A row's side is a hash of its own values: identical rows always land together.
    sides = _sides(['\u0000'.join(row) for row in keep], 'table', data)
    validation = [k for k, s in enumerate(sides) if s == 'validation']
    return _pick(x, y, [k for k, s in enumerate(sides) if s == 'train']), _pick(x, y, validation), [ids[k] for k in validation], skipped


def tokenize(text, lowercase):
    return TOKEN.findall(unicodedata.normalize('NFC', text.lower() if lowercase else text))


def encode_tokens(tokens, index, length):
    kept = tokens[:length]
    return [0] * (length - len(kept)) + [index.get(t, 1) for t in kept]  # 0 pads in front, 1 = unknown word


def _read_text_file(path):
    size = os.path.getsize(path)
    if size == 0 or size > MAX_TEXT_BYTES:
        return None
    with open(path, 'rb') as f:
        raw = f.read()
    if b'\x00' in raw[:8192]:
        return None
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError:
        return None
    text = text[1:] if text.startswith('\ufeff') else text
    return text if text.strip() else None


def load_text(data, preprocessing, classes, path, delimiter=None):
    """Texts from class folders of .txt files or from a CSV, as Strata's token ids (its vocabulary)."""
    items, skipped = [], []  # (label, split key, text, id)
    if os.path.isdir(path):
        found = list_class_folders(path, lambda name: os.path.splitext(name)[1].lower() == '.txt')
        class_indexes(found, classes, path)
        for name, files in found:
            for rel in files:
                text = _read_text_file(os.path.join(path, *rel.split('/')))
                if text is None:
                    skipped.append((rel, 'empty, too large, binary or not UTF-8'))
                else:
                    items.append((name, rel[len(name) + 1:], text, rel))
    else:
        columns, rows, numbers, skipped = read_csv(path, delimiter)
        if not data.get('textColumn') or not data.get('labelColumn'):
            raise DataError('manifest.json names no text and label columns (data.textColumn, data.labelColumn); add them.')
        t = column_index(columns, data['textColumn'], 'text', path)
        lab = column_index(columns, data['labelColumn'], 'label', path)
        for number, row in zip(numbers, rows):
            if is_missing(row[lab]) or row[t].strip() == '':
                skipped.append((f'row {number}', 'no label or no text'))
            elif row[lab].strip() not in classes:
                skipped.append((f'row {number}', f'label "{row[lab].strip()}" is not one the model was trained on'))
            else:
                items.append((row[lab].strip(), row[t], row[t], f'row {number}'))
    length = preprocessing['sequenceLength']
    index = {word: i + 2 for i, word in enumerate(preprocessing['vocabulary'])}
    sides = {'train': [], 'validation': [], 'test': []}
    x, y, ids = [], [], []
    for name in classes:
        mine = [it for it in items if it[0] == name]
        for item, side in zip(mine, _sides([it[1] for it in mine], name, data)):
            sides[side].append(len(x))
            ids.append(item[3])
            x.append(encode_tokens(tokenize(item[2], preprocessing['lowercase']), index, length))
            y.append(classes.index(name))
    if not sides['train']:
        raise DataError(f'{path} has no usable text.')
    x, y = np.array(x, np.float32).reshape(-1, length), np.array(y, np.int32)
    return _pick(x, y, sides['train']), _pick(x, y, sides['validation']), [ids[k] for k in sides['validation']], skipped


def load_timeseries(data, preprocessing, targets, path, delimiter=None):
    """An ordered CSV as windows: Strata's loadTimeSeriesDataset (time-ordered split with gaps, its statistics)."""
    columns, rows, numbers, skipped = read_csv(path, delimiter)
    features = preprocessing['features']
    indexes = [column_index(columns, f['column'], 'feature', path) for f in features]
    indexes.append(column_index(columns, data['target'], 'target', path))
    series = []
    for c in indexes:
        values, last = [], None
        for row in rows:
            raw = row[c]
            v = None if is_missing(raw) else parse_number(raw)
            if v is None and not is_missing(raw):
                raise DataError(f'{path}: column "{columns[c]}" holds "{raw}", which is not a number.')
            last = v if v is not None else last  # a missing value is carried forward
            values.append(np.nan if last is None else last)
        known = [v for v in values if not np.isnan(v)]
        if not known:
            raise DataError(f'{path}: column "{columns[c]}" has no numbers.')
        series.append(np.nan_to_num(np.array(values, np.float64), nan=known[0]))
    window, horizon = preprocessing['window'], preprocessing['horizon']
    span = window + horizon - 1
    windows = len(rows) - span
    n_test = int(windows * data.get('testSplit', 0))
    n_val = max(1, int(windows * data['validationSplit']))
    n_train = windows - n_test - n_val - span * (2 if n_test > 0 else 1)
    if n_train < 1:
        raise DataError(f'{path} has too few rows ({len(rows)}) for windows of {window} rows with a horizon of {horizon}.')
    stats = [(f['mean'], f['std']) for f in features] + [(targets['mean'][0], targets['std'][0])]
    standard = np.stack([(s - m) / d for s, (m, d) in zip(series, stats)], axis=1).astype(np.float32)

    def windows_from(start, count):
        x = np.stack([standard[start + s:start + s + window, :-1] for s in range(count)]) if count else np.zeros((0, window, len(features)), np.float32)
        y = np.array([[standard[start + s + span, -1]] for s in range(count)], np.float32).reshape(-1, 1)
        return x, y

    start = n_train + span
    ids = [f'rows {numbers[start + s]}\u2013{numbers[start + s + window - 1]} \u2192 row {numbers[start + s + span]}' for s in range(n_val)]
    return windows_from(0, n_train), windows_from(start, n_val), ids, skipped
