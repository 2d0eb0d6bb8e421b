"""The Keras side of the data benchmark: image_dataset_from_directory on the same folder.

Usage: python keras_import.py <folder> <height> <width>
Lists, decodes and resizes every image (both subsets, iterated to the end, since the
dataset is lazy) and prints one JSON line.
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402


def main():
    folder, height, width = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    start = time.perf_counter()
    train, val = tf.keras.utils.image_dataset_from_directory(
        folder, image_size=(height, width), color_mode="grayscale", batch_size=128,
        validation_split=0.2, subset="both", seed=1, shuffle=False,
    )
    images = 0
    for ds in (train, val):
        for x, _ in ds:
            images += int(x.shape[0])
    seconds = time.perf_counter() - start
    print(json.dumps({"engine": "keras", "tensorflow": tf.__version__, "images": images, "seconds": seconds, "imagesPerSec": images / seconds}))


if __name__ == "__main__":
    main()
