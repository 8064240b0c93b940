#!/usr/bin/env node
// A stand-in for the opencode CLI (npm package opencode-ai), served by the Berth e2e mirror's npm
// registry (see harness/mirror/npm.ts, which fills in the __NAME__ placeholders). It only tells
// its version: the tests check that install-opencode put a working command in place.
'use strict';

const VERSION = '__VERSION__';
const args = process.argv.slice(2);
if (args[0] === '--version' || args[0] === '-v') {
  console.log(`opencode ${VERSION}`);
} else if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
  console.log(`opencode ${VERSION} (Berth e2e stand-in)\nUsage: opencode --version`);
} else {
  console.error(`opencode: the Berth e2e stand-in knows only --version (got: ${args.join(' ')})`);
  process.exit(1);
}
