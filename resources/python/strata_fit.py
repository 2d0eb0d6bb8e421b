"""The training loop of train.py (part of a Strata "python" export).

A plain tf.distribute loop rather than model.fit: Keras 3's fit fails under MultiWorkerMirroredStrategy
(keras-team/keras#20585), and one loop for one machine and for a cluster keeps both paths the same.
Under the default strategy (no TF_CONFIG) strategy.run is a plain call.
"""
import math
import time

import numpy as np
import tensorflow as tf

from strata_images import augment_batch


def _augments(augmentation):
    return bool(augmentation) and (augmentation['flip'] != 'none' or any(
        augmentation[k] for k in ('rotation', 'zoom', 'translation', 'brightness', 'contrast')))


def training_dataset(data, batch_size, seed, augmentation):
    """Shuffled batches of the training split. Batches are gathered from the arrays by index (so a large
    dataset is not copied into the graph), and sharded by data: under MultiWorkerMirroredStrategy every
    worker holds the same arrays and the same shuffle, and `batch_size` is the global batch."""
    x, y = data.x_train, data.y_train

    def gather(idx):
        return x[idx], y[idx]

    def load(idx):
        bx, by = tf.numpy_function(gather, [idx], [tf.as_dtype(x.dtype), tf.as_dtype(y.dtype)])
        bx = tf.ensure_shape(tf.cast(bx, tf.float32) * data.scale, (None,) + x.shape[1:])
        by = tf.ensure_shape(by, (None,) + y.shape[1:])
        if not data.regression:
            by = tf.one_hot(by, data.outputs)
        if data.kind == 'image-folder' and _augments(augmentation):
            bx = augment_batch(bx, augmentation)  # training batches only, as in Strata
        return bx, by

    ds = tf.data.Dataset.range(len(x)).shuffle(len(x), seed=seed, reshuffle_each_iteration=True).batch(batch_size)
    ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return ds.with_options(options).prefetch(tf.data.AUTOTUNE)


class Trainer:
    """One epoch at a time: each replica's gradients of the batch's mean loss, summed across replicas."""

    def __init__(self, strategy, model, optimizer, loss, data, class_weights):
        self.strategy, self.model, self.optimizer, self.loss, self.data = strategy, model, optimizer, loss, data
        self.weights = None if class_weights is None else tf.constant(class_weights, tf.float32)
        self.step = tf.function(self._distributed_step)

    def _replica_step(self, x, y):
        ctx = tf.distribute.get_replica_context()
        # The global batch's size, so a short last batch averages over what it has (as Strata does).
        count = ctx.all_reduce(tf.distribute.ReduceOp.SUM, tf.cast(tf.shape(x)[0], tf.float32))
        with tf.GradientTape() as tape:
            predicted = self.model(x, training=True)
            per_sample = self.loss(y, predicted)
            if self.weights is not None:  # Strata's balanced class weights: each sample scaled by its class's weight
                per_sample = per_sample * tf.reduce_sum(y * self.weights, axis=-1)
            loss = tf.reduce_sum(per_sample) / tf.maximum(count, 1.0)
            if self.model.losses:
                loss += tf.add_n(self.model.losses) / ctx.num_replicas_in_sync
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))
        correct = tf.constant(0.0) if self.data.regression else tf.reduce_sum(
            tf.cast(tf.equal(tf.argmax(predicted, -1), tf.argmax(y, -1)), tf.float32))
        return tf.stack([tf.reduce_sum(per_sample), correct, tf.cast(tf.shape(x)[0], tf.float32)])

    def _distributed_step(self, batch):
        sums = self.strategy.run(self._replica_step, args=batch)
        return self.strategy.reduce(tf.distribute.ReduceOp.SUM, sums, axis=None)

    def train_epoch(self, dataset):
        totals = np.zeros(3)
        for batch in dataset:
            totals += self.step(batch).numpy()
        n = max(totals[2], 1.0)
        return {'loss': totals[0] / n, 'acc': None if self.data.regression else totals[1] / n}


def evaluate(model, data, loss):
    """val_loss and val_acc over the whole validation split. Every worker computes them on its own copy of
    the (identical) weights, so all workers report the same numbers however the training data is sharded."""
    if len(data.x_val) == 0:
        return {'val_loss': None, 'val_acc': None}
    outputs = []
    for start in range(0, len(data.x_val), 256):
        batch = tf.constant(data.x_val[start:start + 256].astype(np.float32) * data.scale)
        outputs.append(np.asarray(model(batch, training=False)))
    predicted = np.concatenate(outputs)
    truth = data.y_val.astype(np.float32) if data.regression else np.eye(data.outputs, dtype=np.float32)[data.y_val]
    val_loss = float(np.mean(loss(truth, predicted)))
    val_acc = None if data.regression else float(np.mean(np.argmax(predicted, axis=1) == data.y_val))
    return {'val_loss': val_loss, 'val_acc': val_acc}


def learning_rate_at(schedule, base, epoch, epochs, plateau_reductions):
    """Strata's learningRateAt (src-shared/contract/training-schedule.ts)."""
    kind = schedule['kind']
    if kind == 'step':
        return base * schedule['factor'] ** (epoch // schedule['every'])
    if kind == 'exponential':
        return base * schedule['factor'] ** epoch
    if kind == 'cosine':
        t = 0 if epochs <= 1 else epoch / (epochs - 1)
        floor = base * schedule['floor']
        return floor + (base - floor) * 0.5 * (1 + math.cos(math.pi * t))
    if kind == 'plateau':
        return base * schedule['factor'] ** plateau_reductions
    return base


class EpochPolicy:
    """Strata's EpochPolicy: each epoch's learning rate (reduce-on-plateau included) and early stopping."""

    def __init__(self, training, base_rate, epochs):
        self.schedule, self.base, self.epochs = training['schedule'], base_rate, epochs
        self.rule = training.get('earlyStopping')
        self.plateau_best, self.plateau_waited, self.reductions = math.inf, 0, 0
        self.best, self.best_epoch, self.best_weights, self.waited = None, None, None, 0

    def learning_rate(self, epoch):
        return learning_rate_at(self.schedule, self.base, epoch, self.epochs, self.reductions)

    def after_epoch(self, epoch, metrics, weights):
        """Returns why to stop, or None."""
        val_loss = metrics.get('val_loss')
        if self.schedule['kind'] == 'plateau' and val_loss is not None and math.isfinite(val_loss):
            if val_loss < self.plateau_best - 1e-12:
                self.plateau_best, self.plateau_waited = val_loss, 0
            else:
                self.plateau_waited += 1
                if self.plateau_waited >= self.schedule['patience']:
                    self.plateau_waited, self.reductions = 0, self.reductions + 1
        if not self.rule:
            return None
        value = metrics.get(self.rule['metric'])
        if value is None or not math.isfinite(value):
            return None
        higher = self.rule['metric'] == 'val_acc'
        if self.best is None or (value > self.best if higher else value < self.best):
            self.best, self.best_epoch, self.waited = value, epoch, 0
            if self.rule['restoreBest']:
                self.best_weights = weights()
            return None
        self.waited += 1
        if self.waited < self.rule['patience']:
            return None
        return (f"stopped early after epoch {epoch}: {self.rule['metric']} did not improve for {self.rule['patience']} epoch(s); "
                f"best {self.best:.4g} at epoch {self.best_epoch}" + (', whose weights are kept' if self.rule['restoreBest'] else ''))


def train(strategy, model, optimizer, loss, data, dataset, policy, epochs, class_weights=None):
    """Trains `epochs` epochs (or until early stopping); prints each one and returns the history."""
    trainer = Trainer(strategy, model, optimizer, loss, data, class_weights)
    distributed = strategy.experimental_distribute_dataset(dataset)
    history, stop = [], None
    for epoch in range(epochs):
        started = time.time()
        rate = policy.learning_rate(epoch)
        optimizer.learning_rate.assign(rate)
        row = {'epoch': epoch + 1, **trainer.train_epoch(distributed), **evaluate(model, data, loss), 'learning_rate': rate}
        row['seconds'] = round(time.time() - started, 2)
        history.append(row)
        shown = '  '.join(f'{k} {v:.4f}' for k, v in row.items() if k not in ('epoch', 'seconds') and v is not None)
        print(f'epoch {epoch + 1}/{epochs}  {shown}  ({row["seconds"]} s)', flush=True)
        stop = policy.after_epoch(epoch + 1, row, model.get_weights)
        if stop:
            print(stop, flush=True)
            break
    if policy.best_weights is not None:
        model.set_weights(policy.best_weights)
    return history, stop
