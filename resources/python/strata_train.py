#!/usr/bin/env python3
"""Trains a Strata graph with Keras/TensorFlow on the run's data folder, as Strata did (exported by Strata).

    python train.py                          # the run's settings and data
    python train.py --epochs 20 --data /other/folder --out trained/
    TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}' \\
        python train.py                      # one of N workers (see README.md)

Needs only TensorFlow (with Keras 3) and numpy. Reads manifest.json (the data and the training settings)
and model.json (the graph as a Keras 3 config) from this folder; strata_*.py prepare the data exactly as
Strata does. At the end it prints one line `STRATA_RESULT {json}` with the final metrics.
"""
import argparse
import hashlib
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
MANIFEST_VERSION = 1


def parse_args(argv, manifest):
    training = manifest['training']
    p = argparse.ArgumentParser(description=f'Train the Strata graph of run {manifest["run"]["id"]} with Keras.')
    p.add_argument('--epochs', type=int, default=training['epochs'], help=f'epochs to train (the run: {training["epochs"]})')
    p.add_argument('--batch-size', type=int, default=training['batchSize'],
                   help=f'the global batch: split across all workers when distributed (the run: {training["batchSize"]})')
    p.add_argument('--learning-rate', type=float, default=training['learningRate'])
    p.add_argument('--data', default=manifest['data']['path'], help=f'the data folder or file (the run: {manifest["data"]["path"]})')
    p.add_argument('--out', default=os.path.join(HERE, 'trained'), 
                   help='where the chief saves model.keras, history.json, result.json and split.json (the validation samples)')
    p.add_argument('--seed', type=int, default=training['seed'])
    p.add_argument('--from-trained', action='store_true',
                   help="start from Strata's trained weights (model.keras in this folder) instead of fresh ones")
    p.add_argument('--distributed', action=argparse.BooleanOptionalAction, default=manifest['distributed'],
                   help='use tf.distribute.MultiWorkerMirroredStrategy when TF_CONFIG is set')
    return p.parse_args(argv)


def read_json(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        return json.load(f)


def cluster_task():
    """(task type, index, worker count) from TF_CONFIG, or None when it is not set."""
    raw = os.environ.get('TF_CONFIG')
    if not raw:
        return None
    config = json.loads(raw)
    cluster, task = config.get('cluster', {}), config.get('task', {})
    workers = len(cluster.get('worker', [])) + len(cluster.get('chief', []))
    return task.get('type', 'worker'), int(task.get('index', 0)), workers


def build_model(keras, manifest, from_trained):
    """The graph from model.json (a Keras 3 config) with fresh weights; Strata's trained ones on request."""
    model_info = manifest['model']
    arch = os.path.join(HERE, model_info['architecture']) if model_info.get('architecture') else None
    weights = os.path.join(HERE, model_info['weights']) if model_info.get('weights') else None
    if arch and os.path.exists(arch):
        with open(arch, encoding='utf-8') as f:
            config = json.load(f)
        if 'class_name' not in config:  # a bare functional config
            config = {'module': 'keras', 'class_name': 'Functional', 'config': config, 'registered_name': 'Functional'}
        model = keras.models.model_from_json(json.dumps(config))
    elif weights and os.path.exists(weights):
        model = keras.models.clone_model(keras.models.load_model(weights, compile=False))
    else:
        raise SystemExit(f'No architecture found: {arch or "model.json"} is missing. Export the run from Strata again.')
    if from_trained:
        if not weights or not os.path.exists(weights):
            raise SystemExit('--from-trained needs model.keras (Strata\'s trained weights) next to train.py; this export has none.')
        model.set_weights(keras.models.load_model(weights, compile=False).get_weights())
    return model


def make_optimizer(keras, name, learning_rate):
    # Keras' defaults equal tfjs' (Adam epsilon 1e-7, RMSprop rho 0.9, Adagrad initial accumulator 0.1).
    return {'adam': keras.optimizers.Adam, 'sgd': keras.optimizers.SGD, 'rmsprop': keras.optimizers.RMSprop,
            'adagrad': keras.optimizers.Adagrad}[name](learning_rate=learning_rate)


def make_loss(keras, manifest):
    """Per-sample loss (the loop averages it over the global batch)."""
    loss = manifest['training']['loss']
    if loss == 'mean_squared_error':
        return keras.losses.MeanSquaredError(reduction=None)
    # Strata trains a softmax output on probabilities and reads any other output as logits.
    return keras.losses.CategoricalCrossentropy(from_logits=loss == 'categorical_crossentropy_from_logits', reduction=None)


def is_chief(task):
    """The worker that saves: the chief if the cluster names one, else worker 0 (or a machine on its own)."""
    if task is None:
        return True
    has_chief = bool(json.loads(os.environ['TF_CONFIG']).get('cluster', {}).get('chief'))
    return task[0] == 'chief' or (task[0] == 'worker' and task[1] == 0 and not has_chief)


def main(argv=None):
    manifest = read_json('manifest.json')
    if manifest.get('version') != MANIFEST_VERSION:
        raise SystemExit(f'manifest.json is version {manifest.get("version")}; this train.py reads version {MANIFEST_VERSION}.')
    args = parse_args(argv, manifest)
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
    import numpy as np
    import tensorflow as tf
    import keras
    from strata_fit import EpochPolicy, evaluate, train, training_dataset
    from strata_load import load_data

    task = cluster_task()
    # The strategy must exist before any other TensorFlow op runs (the data loading decodes with tf.data).
    distributed = bool(args.distributed and task)
    strategy = tf.distribute.MultiWorkerMirroredStrategy() if distributed else tf.distribute.get_strategy()
    if task and not distributed:
        print('TF_CONFIG is set but distributed training is off (pass --distributed); training alone.', flush=True)
    keras.utils.set_random_seed(args.seed)  # the same on every worker: same initial weights, same shuffle

    started = time.time()
    data = load_data(manifest, args.data)
    print(f'data: {len(data.x_train)} training and {len(data.x_val)} validation samples from {args.data}'
          + (f' ({len(data.skipped)} skipped, e.g. {data.skipped[0][0]}: {data.skipped[0][1]})' if data.skipped else ''), flush=True)
    if len(data.x_train) == 0:
        raise SystemExit('The training split is empty.')

    training = manifest['training']
    with strategy.scope():
        model = build_model(keras, manifest, args.from_trained)
        optimizer = make_optimizer(keras, training['optimizer'], args.learning_rate)
        optimizer.build(model.trainable_variables)
    loss = make_loss(keras, manifest)
    class_weights = data.balanced_class_weights() if training.get('classWeights') == 'balanced' and not data.regression else None
    dataset = training_dataset(data, args.batch_size, args.seed, manifest['data'].get('augmentation'))
    policy = EpochPolicy(training, args.learning_rate, args.epochs)
    history, stopped = train(strategy, model, optimizer, loss, data, dataset, policy, args.epochs, class_weights)

    final = evaluate(model, data, loss)
    weights = model.get_weights()
    digest = hashlib.sha256(b''.join(np.ascontiguousarray(w, dtype=np.float32).tobytes() for w in weights)).hexdigest()
    last = history[-1] if history else {}
    result = {
        'epochs': len(history), 'stopped': stopped, 'loss': last.get('loss'), 'acc': last.get('acc'),
        'val_loss': final['val_loss'], 'val_acc': final['val_acc'],
        'train_samples': int(len(data.x_train)), 'validation_samples': int(len(data.x_val)),
        'batch_size': args.batch_size, 'seconds': round(time.time() - started, 2),
        'distributed': {'workers': task[2], 'task': f'{task[0]}:{task[1]}', 'replicas': strategy.num_replicas_in_sync} if distributed else None,
        'weights_sha256': digest, 'out': None,
    }
    if is_chief(task):
        os.makedirs(args.out, exist_ok=True)
        model.save(os.path.join(args.out, 'model.keras'))
        result['out'] = os.path.abspath(args.out)
        for name, value in [('history.json', history), ('result.json', result), ('split.json', {'validation': data.val_ids})]:
            with open(os.path.join(args.out, name), 'w', encoding='utf-8') as f:
                json.dump(value, f, indent=2)
    print('STRATA_RESULT ' + json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
