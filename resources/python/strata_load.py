"""The run's data, prepared as Strata prepared it, for train.py (part of a Strata "python" export)."""
import os

import numpy as np

from strata_data import DataError


class PreparedData:
    """Training and validation samples: uint8 images (scaled to 0-1 when fed) or float rows, and their targets."""

    def __init__(self, kind, train, validation, val_ids, skipped, outputs, regression):
        self.kind = kind
        self.val_ids = val_ids
        self.x_train, self.y_train = train
        self.x_val, self.y_val = validation
        self.skipped = skipped
        self.outputs = outputs
        self.regression = regression
        self.scale = 1 / 255 if kind == 'image-folder' else 1.0

    def balanced_class_weights(self):
        """Strata's balanced weights: n / (classes x count of the class) over the training labels."""
        counts = np.bincount(self.y_train, minlength=self.outputs)
        n = len(self.y_train)
        return [0.0 if c == 0 else n / (self.outputs * c) for c in counts]


def load_data(manifest, path):
    """The data at `path` (the run's own by default) as the run's kind says; DataError says what is wrong."""
    data, preprocessing, targets = manifest['data'], manifest['preprocessing'], manifest['targets']
    path = os.path.abspath(os.path.expanduser(path))
    # The delimiter Strata detected holds for the file it read; another file's is guessed again.
    delimiter = data.get('delimiter') if path == os.path.abspath(data['path']) else None
    kind = data['kind']
    regression = targets['type'] == 'regression'
    outputs = len(targets['columns']) if regression else len(targets['classes'])
    try:
        if kind == 'image-folder':
            from strata_images import load_image_folder
            train, validation, val_ids, skipped = load_image_folder(data, targets['classes'], path)
        elif kind == 'csv-table':
            from strata_tables import load_table
            train, validation, val_ids, skipped = load_table(data, preprocessing, targets, path, delimiter)
        elif kind == 'text':
            from strata_tables import load_text
            train, validation, val_ids, skipped = load_text(data, preprocessing, targets['classes'], path, delimiter)
        elif kind == 'timeseries':
            from strata_tables import load_timeseries
            train, validation, val_ids, skipped = load_timeseries(data, preprocessing, targets, path, delimiter)
        else:
            raise DataError(f'manifest.json names a data kind this script does not know: {kind}.')
    except DataError as err:
        raise SystemExit(f'Cannot prepare the data: {err}') from None
    return PreparedData(kind, train, validation, val_ids, skipped, outputs, regression)
