import type { ConvertTask } from '../../common/task.js';
import type { Source } from './index.js';
import { unsupportedFormat } from './errors.js';

export function isRawTiff(_input: Buffer): boolean {
  return false;
}
export async function decodeRaw(_input: Buffer, _task: ConvertTask): Promise<Source> {
  throw unsupportedFormat('camera RAW', 'darktable, RawTherapee or dcraw');
}
