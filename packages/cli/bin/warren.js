#!/usr/bin/env node
// A committed, executable shim: npm links it at install time, before `tsc -b` has built dist/.
require('../dist/src/bin.js');
