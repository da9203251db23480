import type { ConvertTask } from '../../common/task.js';
import type { Source } from './index.js';
import { unsupportedFormat } from './errors.js';

export function isHevc(_input: Buffer): boolean {
  return true;
}
export async function decodeHeic(_input: Buffer, _task: ConvertTask): Promise<Source> {
  throw unsupportedFormat('HEIC (HEVC)', 'heif-convert (libheif)');
}
