import path from 'node:path';
import { loadWithCompileCache } from './compile-cache';

// `dist/main/main-node.cjs`: starts the panel server (dist/main/panel-server.cjs, built from src-main/main-node.ts)
// through V8's code cache.
loadWithCompileCache(path.join(__dirname, 'panel-server.cjs'));
