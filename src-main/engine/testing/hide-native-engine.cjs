// Test support, preloaded with `node --require`: makes @tensorflow/tfjs-node look
// uninstalled, so tests can check what users see on a machine without the native engine.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@tensorflow/tfjs-node') {
    const err = new Error(`Cannot find module '${request}'`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
