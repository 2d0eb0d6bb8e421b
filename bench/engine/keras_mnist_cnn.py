"""The Keras side of the engine benchmark: mnist_cnn, same digits, same batch size.

Usage: python keras_mnist_cnn.py <digits.bin> <warmup_batches> <timed_batches>
Prints one JSON line like tfjs-train-worker.ts does.
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

BATCH = 128
PASSES = 3


def read_digits(path):
    raw = open(path, "rb").read()
    count = int(np.frombuffer(raw, dtype="<u4", count=1)[0])
    pixels = np.frombuffer(raw, dtype="<f4", count=count * 784, offset=4).reshape(count, 28, 28, 1)
    labels = np.frombuffer(raw, dtype="<i4", count=count, offset=4 + count * 784 * 4)
    return pixels, labels


def build():
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    path, warmup, timed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pixels, labels = read_digits(path)
    onehot = keras.utils.to_categorical(labels, 10)
    model = build()
    w = warmup * BATCH
    model.fit(pixels[:w], onehot[:w], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    x, y = pixels[w:w + timed * BATCH], onehot[w:w + timed * BATCH]
    # The timed pass runs PASSES times and the median counts, as in tfjs-train-worker.ts.
    timings = []
    for _ in range(PASSES):
        start = time.perf_counter()
        history = model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        timings.append(time.perf_counter() - start)
    seconds = sorted(timings)[len(timings) // 2]
    print(json.dumps({
        "backend": "keras", "tensorflow": tf.__version__, "keras": keras.__version__,
        "threads": os.cpu_count(), "samples": timed * BATCH, "seconds": seconds,
        "samplesPerSec": timed * BATCH / seconds, "passes": [timed * BATCH / t for t in timings],
        "loss": float(history.history["loss"][-1]),
    }))


if __name__ == "__main__":
    main()
