/**
 * The engine process's first start-up steps (PHOTOPOOL_TRACE_STARTUP=1, see trace.ts): imported
 * by engine/host.ts right after sharp, before its workers start.
 */
import { traceProcessStart, traceStartup } from './trace.js';

traceProcessStart('engine');
traceStartup('engine', 'sharp loaded');
