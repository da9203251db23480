import type { ConvertTask } from '../../common/task.js';
import type { Source } from './index.js';
import { unsupportedFormat } from './errors.js';

export async function decodeJxl(_input: Buffer, _task: ConvertTask): Promise<Source> {
  throw unsupportedFormat('JPEG XL', 'djxl (libjxl)');
}
