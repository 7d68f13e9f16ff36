// Preloaded with `node --require` in front of the built dist/electron/main.cjs: answers
// require('electron') with stub.cjs, so the real main bundle runs under plain Node in tests.
'use strict';
const Module = require('node:module');
const path = require('node:path');
const stubPath = path.join(__dirname, 'stub.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron') return stubPath;
  return resolve.call(this, request, ...rest);
};
