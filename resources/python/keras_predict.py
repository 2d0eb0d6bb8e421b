"""Loads .keras files with Keras 3, as a user would, and predicts given inputs.

The consumer side of Strata's Keras export parity check. One process serves many models
(importing TensorFlow costs seconds), and one model that fails to load or predict does not
stop the others: its result says why.

Usage: python keras_predict.py JOBS.json

JOBS.json: {"jobs": [{"model": "a.keras", "inputs": "x.f32", "shape": [n, ...], "outputs": "y.f32"}]}
  inputs  float32, row-major, little-endian, of the given shape (batch first)
  outputs written the same way: the model's output for those inputs

Prints, as its last line, one JSON object:
  {"tensorflow": "2.21.0", "keras": "3.15.1",
   "results": [{"ok": true, "shape": [n, ...]} | {"ok": false, "error": "..."}]}
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402


def run_job(job):
    model = keras.models.load_model(job["model"])
    shape = [int(d) for d in job["shape"]]
    x = np.fromfile(job["inputs"], dtype="<f4").reshape(shape)
    y = model.predict(x, batch_size=max(1, shape[0]), verbose=0)
    if isinstance(y, (list, tuple)):
        y = y[0]
    y = np.asarray(y, dtype="<f4")
    y.tofile(job["outputs"])
    return {"ok": True, "shape": list(y.shape)}


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        jobs = json.load(f)["jobs"]
    results = []
    for job in jobs:
        try:
            results.append(run_job(job))
        except Exception as err:  # one broken export must not hide the others' results
            results.append({"ok": False, "error": f"{type(err).__name__}: {err}"[:2000]})
        keras.backend.clear_session()
    print(json.dumps({"tensorflow": tf.__version__, "keras": keras.__version__, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
