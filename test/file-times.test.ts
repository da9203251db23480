/**
 * --keep-mtime with creation times (issue 14): the platform selection, and the calls made on
 * each platform. Only Linux runs here: it keeps the modification time for real (its birth time
 * cannot be set by any call); the macOS and Windows paths are checked by the calls they make,
 * which cannot prove what those systems then do with them.
 */
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { birthTimeMethod, copyFileTimes, type TimeCalls } from '../workers/file-times.js';
import { tempDir } from './helpers.js';

function recorder(): { calls: string[]; api: TimeCalls } {
  const calls: string[] = [];
  return {
    calls,
    api: {
      utimes: async (p, a, m) => void calls.push(`utimes ${a.toISOString()} ${m.toISOString()}`),
      setCreationTime: (p, t) => void calls.push(`SetFileTime ${t.toISOString()}`),
    },
  };
}

describe('file times', () => {
  it('picks the way each platform sets a creation time', () => {
    expect(birthTimeMethod('darwin')).toBe('utimes-earlier');
    expect(birthTimeMethod('freebsd')).toBe('utimes-earlier');
    expect(birthTimeMethod('win32')).toBe('setfiletime');
    expect(birthTimeMethod('linux')).toBe('none');
  });

  it('keeps the modification time here (Linux), with the calls each platform would make', async () => {
    const dir = tempDir('times');
    const from = join(dir, 'in.jpg');
    const to = join(dir, 'out.jpg');
    writeFileSync(from, 'a');
    writeFileSync(to, 'b');
    const mtime = new Date('2021-07-14T12:00:00.000Z');
    const atime = new Date('2022-01-02T03:04:05.000Z');
    utimesSync(from, atime, mtime);
    await copyFileTimes(from, to);
    expect(statSync(to).mtime.toISOString()).toBe(mtime.toISOString());

    const birth = statSync(from).birthtime; // now-ish where the file system records it (later than mtime)
    const mac = recorder();
    await copyFileTimes(from, to, 'darwin', mac.api);
    const linux = recorder();
    await copyFileTimes(from, to, 'linux', linux.api);
    const win = recorder();
    await copyFileTimes(from, to, 'win32', win.api);
    const plain = `utimes ${atime.toISOString()} ${mtime.toISOString()}`;
    expect(linux.calls).toEqual([plain]);
    if (statSync(from).birthtimeMs > 0) {
      // the file system knows birth times: an mtime older than the birth time, as a photo's is
      expect(win.calls).toEqual([plain, `SetFileTime ${birth.toISOString()}`]);
      expect(mac.calls).toEqual([plain]); // birth time later than mtime: utimes alone moves it back to the mtime
    } else {
      expect(win.calls).toEqual([plain]);
      expect(mac.calls).toEqual([plain]);
    }
  });

  it('macOS: a birth time older than the modification time is set first, through utimes', async () => {
    const dir = tempDir('times');
    const from = join(dir, 'in.jpg');
    writeFileSync(from, 'a');
    const st = statSync(from);
    if (!(st.birthtimeMs > 0)) return expect(st.birthtimeMs).toBe(0); // no birth time recorded here: nothing to order
    const later = new Date(st.birthtimeMs + 3_600_000);
    utimesSync(from, later, later);
    const mac = recorder();
    await copyFileTimes(from, join(dir, 'x'), 'darwin', mac.api);
    expect(mac.calls).toEqual([`utimes ${st.birthtime.toISOString()} ${st.birthtime.toISOString()}`, `utimes ${later.toISOString()} ${later.toISOString()}`]);
  });
});
