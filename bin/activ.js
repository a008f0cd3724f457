#!/usr/bin/env node
// Thin shim: run the built command line and let Node exit by itself once output is flushed.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
