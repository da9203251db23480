/**
 * `processes` model entry point: a child process that converts one file per message, for
 * crash isolation per process. The engine sends a ConvertTask, the child answers its result.
 */
import 'sharp';
import type { ConvertTask } from '../common/task.js';
import convert from './convert.js';
import { allowBlocking } from './blocking.js';

allowBlocking(); // converting is this process's whole job

if (!process.send) throw new Error('workers/process must be started with an IPC channel (fork)');
process.on('message', (task: ConvertTask) => {
  void convert(task).then((result) => process.send?.(result));
});
process.on('disconnect', () => process.exit(0));
