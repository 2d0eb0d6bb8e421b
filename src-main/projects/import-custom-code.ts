import { refuseImport } from './import-limits.ts';

/**
 * Finds Python code inside a model config before anything else reads it. Keras stores a
 * Lambda layer's function as marshalled bytecode, a custom layer or activation as a module
 * path to import, and a registered custom object as "package>Name"; loading any of these in
 * Keras runs code from the file. Strata never runs them, and it refuses such a file outright
 * rather than import a model that would compute something else without them.
 */

/** Layers whose whole job is to run Python. */
const CODE_LAYERS = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda']);
/** How Keras serialises a Python function (Keras 3: a plain function or a lambda). */
const FUNCTION_CLASSES = new Set(['function', '__lambda__']);
/** Keras' own modules: keras.layers, keras.initializers, keras.src.… and tf_keras (Keras 2). */
const KERAS_MODULE = /^(tf_)?keras(\.|$)/;

interface Found {
  problem: string;
  where: string;
}

function findCustomCode(value: unknown, where: string): Found | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findCustomCode(item, where);
      if (found) return found;
    }
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const obj = value as Record<string, unknown>;
  const className = typeof obj.class_name === 'string' ? obj.class_name : null;
  const config = obj.config && typeof obj.config === 'object' && !Array.isArray(obj.config) ? obj.config as Record<string, unknown> : null;
  // The nearest layer (or object) name, so the message points at the culprit.
  const name = typeof config?.name === 'string' ? config.name : typeof obj.name === 'string' ? obj.name : null;
  const here = className && name ? `${name} (${className})` : where;
  if (className && CODE_LAYERS.has(className)) {
    return { problem: `layer ${here} is a ${className} layer, which holds Python code`, where: here };
  }
  // A function Keras itself defines (module keras.…) is Keras' code, not the file's; it falls to the checks below.
  const kerasModule = typeof obj.module === 'string' && KERAS_MODULE.test(obj.module);
  if ((className && FUNCTION_CLASSES.has(className) && !(kerasModule && className === 'function')) || obj.module === 'builtins') {
    return { problem: `${where} has a Python function as a setting${typeof obj.config === 'string' ? ` (${obj.config})` : ''}`, where };
  }
  if (typeof obj.module === 'string' && !kerasModule) {
    return { problem: `${here} comes from the Python module "${obj.module}", not from Keras`, where: here };
  }
  if (typeof obj.registered_name === 'string' && obj.registered_name.includes('>')) {
    return { problem: `${here} is the custom object "${obj.registered_name}" registered by a Python package`, where: here };
  }
  // Keras 2 writes a Lambda's function as [bytecode, defaults, closure] with a function_type.
  if ('function_type' in obj || (obj.function !== undefined && obj.function !== null)) {
    return { problem: `${where} has a function-valued setting (function${'function_type' in obj ? `, function_type ${String(obj.function_type)}` : ''})`, where };
  }
  for (const [key, child] of Object.entries(obj)) {
    // How the source trained (loss, metrics) is never read by Strata; a custom loss is no reason to refuse the model.
    if (key === 'compile_config' || key === 'training_config') continue;
    const found = findCustomCode(child, here);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses a model config that carries code: Lambda / TFOpLambda layers, classes from modules
 * outside Keras, registered custom objects and function-valued settings. The JSON must have
 * passed the nesting limit (parseModelJson), which bounds this walk's recursion.
 */
export function assertNoCustomCode(json: unknown, file: string): void {
  const found = findCustomCode(json, 'the model');
  if (found) {
    throw refuseImport(file, `${found.problem}; Strata never runs code from a model file`,
      'Replace it in the source model with built-in Keras layers (or remove it), save the model again and import that file', { layer: found.where });
  }
}
