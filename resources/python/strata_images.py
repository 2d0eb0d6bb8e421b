"""Image folders the way Strata prepares them (part of a Strata "python" export). See strata_data.py."""
import math
import os

import numpy as np
import tensorflow as tf

from strata_data import (
    UNDECODABLE_HERE, DataError, assign_splits, class_indexes, is_image_name, list_class_folders, list_labelled_images,
)


def _srgb_to_linear(v):
    return tf.where(v <= 0.04045, v / 12.92, tf.pow((v + 0.055) / 1.055, 2.4))


def _linear_to_srgb(v):
    return tf.where(v <= 0.0031308, v * 12.92, 1.055 * tf.pow(tf.maximum(v, 0.0031308), 1 / 2.4) - 0.055)


def _luminance(rgb):
    """libvips' sRGB -> B_W (sharp's toColourspace('b-w')): Rec. 709 luminance in linear light, re-encoded."""
    linear = _srgb_to_linear(rgb / 255.0)
    y = tf.reduce_sum(linear * tf.constant([0.2126, 0.7152, 0.0722]), axis=-1, keepdims=True)
    return _linear_to_srgb(y) * 255.0


def _to_bytes(img):
    return tf.round(tf.clip_by_value(img, 0.0, 255.0))


def decode_file(path, height, width, channels):
    """Strata's decodeImageBytes: flatten alpha onto white, stretch to height x width, grey or sRGB, 8-bit."""
    img = tf.io.decode_image(tf.io.read_file(path), channels=0, dtype=tf.uint8, expand_animations=False)
    img = tf.cast(img, tf.float32)
    c = tf.shape(img)[2]

    def flatten():
        alpha = img[:, :, -1:] / 255.0
        return _to_bytes(img[:, :, :-1] * alpha + 255.0 * (1.0 - alpha))

    img = tf.cond(tf.logical_or(tf.equal(c, 2), tf.equal(c, 4)), flatten, lambda: img)
    shape = tf.shape(img)
    same_size = tf.logical_and(tf.equal(shape[0], height), tf.equal(shape[1], width))
    # Lanczos-3 with antialiasing is what sharp's resize does (a reduce, then a Lanczos-3 kernel).
    img = tf.cond(same_size, lambda: img, lambda: _to_bytes(tf.image.resize(img, [height, width], method='lanczos3', antialias=True)))
    c = tf.shape(img)[2]
    if channels == 1:
        img = tf.cond(tf.equal(c, 3), lambda: _luminance(img), lambda: img)
    else:
        img = tf.cond(tf.equal(c, 1), lambda: tf.tile(img, [1, 1, 3]), lambda: img)
    return tf.cast(tf.reshape(_to_bytes(img), [height, width, channels]), tf.uint8)


def decode_files(paths, height, width, channels):
    """(uint8 images n x h x w x c, ok per file): decoded in parallel; a file TensorFlow cannot decode is not ok."""
    out = np.zeros((len(paths), height, width, channels), np.uint8)
    ok = np.zeros(len(paths), bool)
    if not paths:
        return out, ok
    ds = tf.data.Dataset.from_tensor_slices((paths, np.arange(len(paths), dtype=np.int64)))
    ds = ds.map(lambda p, i: (decode_file(p, height, width, channels), i), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.ignore_errors().batch(256)
    for images, idx in ds:
        idx = idx.numpy()
        out[idx] = images.numpy()
        ok[idx] = True
    return out, ok


def load_image_folder(data, classes, root, delimiter=None):
    """Train and validation images (uint8) with class indexes in the run's class order, the validation
    files (as run.json lists them) and what was skipped."""
    height, width = data['imageSize']
    channels = data['channels']
    found = list_labelled_images(root, data['labels'], delimiter) if data.get('labels') else list_class_folders(root, is_image_name)
    index = class_indexes(found, classes, root)
    decodable, skipped = [], []
    for name, files in found:
        for rel in files:
            if os.path.splitext(rel)[1].lower() in UNDECODABLE_HERE:
                skipped.append((rel, 'TIFF: TensorFlow cannot decode it (convert it to PNG)'))
            else:
                decodable.append((name, rel))
    images, ok = decode_files([os.path.join(root, *rel.split('/')) for _, rel in decodable], height, width, channels)
    skipped += [(rel, 'cannot be decoded') for (_, rel), good in zip(decodable, ok) if not good]
    sides = {'train': [], 'validation': [], 'test': []}
    for name, _ in found:
        rows = [k for k, (cls, _) in enumerate(decodable) if cls == name and ok[k]]
        keys = [decodable[k][1][len(name) + 1:] if decodable[k][1].startswith(name + '/') else decodable[k][1] for k in rows]
        for k, side in zip(rows, assign_splits(name, keys, data['validationSplit'], data.get('testSplit', 0), data['seed'])):
            sides[side].append(k)
    if not sides['train']:
        raise DataError(f'{root}: no image could be decoded for training.')
    label = np.array([index[cls] for cls, _ in decodable], np.int32)
    pick = lambda side: (images[sides[side]], label[sides[side]])  # noqa: E731
    return pick('train'), pick('validation'), [decodable[k][1] for k in sides['validation']], skipped


def augment_batch(images, aug):
    """Strata's augmentBatch on a batch of 0-1 images: one affine map per image (bilinear, edges repeated), then tones."""
    n = tf.shape(images)[0]
    h, w, c = images.shape[1], images.shape[2], images.shape[3]
    u = tf.random.uniform([n, 8])
    sym = lambda k, r: (2.0 * u[:, k] - 1.0) * r  # noqa: E731
    flip_h = tf.logical_and(u[:, 0] < 0.5, aug['flip'] in ('horizontal', 'both'))
    flip_v = tf.logical_and(u[:, 1] < 0.5, aug['flip'] in ('vertical', 'both'))
    angle = sym(2, aug['rotation']) * math.pi / 180.0
    scale = 1.0 + sym(3, aug['zoom'])
    dx, dy = sym(4, aug['translation']) * w, sym(5, aug['translation']) * h
    delta, factor = sym(6, aug['brightness']), 1.0 + sym(7, aug['contrast'])
    geometric = aug['flip'] != 'none' or aug['rotation'] or aug['zoom'] or aug['translation']
    if geometric:
        cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
        cos, sin = tf.cos(angle), tf.sin(angle)
        sx = tf.where(flip_h, -1.0, 1.0)
        sy = tf.where(flip_v, -1.0, 1.0)
        u0, v0 = -cx - dx, -cy - dy
        transforms = tf.stack([
            sx * cos / scale, -sx * sin / scale, cx + sx * (u0 * cos - v0 * sin) / scale,
            sy * sin / scale, sy * cos / scale, cy + sy * (u0 * sin + v0 * cos) / scale,
            tf.zeros_like(cos), tf.zeros_like(cos)], axis=1)
        images = tf.raw_ops.ImageProjectiveTransformV3(
            images=images, transforms=transforms, output_shape=tf.constant([h, w]), fill_value=0.0,
            interpolation='BILINEAR', fill_mode='NEAREST')
    if aug['brightness'] or aug['contrast']:
        mean = tf.reduce_mean(images, axis=[1, 2], keepdims=True)
        f = tf.reshape(factor, [-1, 1, 1, 1])
        images = tf.clip_by_value((images - mean) * f + mean + tf.reshape(delta, [-1, 1, 1, 1]), 0.0, 1.0)
    return tf.ensure_shape(images, [None, h, w, c])
