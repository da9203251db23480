/**
 * `keepMtime`: give an output its input's modification time and, where the OS allows, its
 * creation (birth) time too.
 *
 * - macOS (and FreeBSD): no call sets the birth time directly, but utimes(2) moves it back when
 *   it is given a modification time older than the birth time (FreeBSD's utimes(2) and
 *   utimensat(2) man pages: "the birth time will be set to the value of the second element if
 *   the second element is older than the currently set birth time ... two calls are required";
 *   Node's fs docs say the same of Darwin, naming the access time). So: first both times set to
 *   the input's birth time, then the real access and modification times.
 * - Windows: SetFileTime on a handle opened with FILE_WRITE_ATTRIBUTES (kernel32 through koffi,
 *   loaded only there).
 * - Linux: no system call sets a file's birth time (statx reports it, nothing writes it): only
 *   the modification time is kept.
 * Only the Linux path runs in this project's CI; the other two are checked by their call order.
 */
import { promises as fs } from 'node:fs';
import koffi from 'koffi';

/** How the creation time is set: `utimes-earlier` (macOS, FreeBSD), `setfiletime` (Windows) or `none` (Linux, others). */
export type BirthTimeMethod = 'utimes-earlier' | 'setfiletime' | 'none';

/**
 * The way `platform` can set a file's creation time.
 *
 * @example
 * birthTimeMethod('darwin') // 'utimes-earlier'
 */
export function birthTimeMethod(platform: NodeJS.Platform = process.platform): BirthTimeMethod {
  if (platform === 'darwin' || platform === 'freebsd') return 'utimes-earlier';
  return platform === 'win32' ? 'setfiletime' : 'none';
}

/** The calls copyFileTimes makes (replaceable in tests of the other platforms). */
export interface TimeCalls {
  utimes(path: string, atime: Date, mtime: Date): Promise<void>;
  setCreationTime(path: string, time: Date): void;
}

const REAL: TimeCalls = { utimes: (p, a, m) => fs.utimes(p, a, m), setCreationTime: (p, t) => setCreationTimeWin32(p, t) };

/**
 * Give `to` the access and modification times of `from`, and its creation time where
 * {@link birthTimeMethod} has a way (a birth time the OS does not know, 0, is left alone).
 *
 * @example
 * await copyFileTimes('/in/IMG_0001.HEIC', '/out/.IMG_0001.jpg.tmp'); // then rename: the times stay
 */
export async function copyFileTimes(from: string, to: string, platform: NodeJS.Platform = process.platform, calls: TimeCalls = REAL): Promise<void> {
  const st = await fs.stat(from);
  const method = birthTimeMethod(platform);
  const birth = st.birthtimeMs > 0 ? st.birthtime : null;
  if (method === 'utimes-earlier' && birth && birth < st.mtime) await calls.utimes(to, birth, birth);
  await calls.utimes(to, st.atime, st.mtime);
  if (method === 'setfiletime' && birth) calls.setCreationTime(to, birth);
}

let win32: ((path: string, filetime: bigint) => boolean) | null = null;

/** SetFileTime(creation) through kernel32; throws with the Windows error when it fails. */
function setCreationTimeWin32(path: string, time: Date): void {
  win32 ??= loadKernel32();
  // FILETIME: 100 ns steps since 1601-01-01 UTC
  const filetime = BigInt(time.getTime()) * 10_000n + 116_444_736_000_000_000n;
  if (!win32(path, filetime)) throw new Error(`cannot set the creation time of ${path}`);
}

function loadKernel32(): (path: string, filetime: bigint) => boolean {
  const k32 = koffi.load('kernel32.dll');
  const CreateFileW = k32.func('void * __stdcall CreateFileW(str16 name, uint32 access, uint32 share, void *sa, uint32 disposition, uint32 flags, void *template)');
  const SetFileTime = k32.func('bool __stdcall SetFileTime(void *h, const uint64_t *creation, const uint64_t *access, const uint64_t *write)');
  const CloseHandle = k32.func('bool __stdcall CloseHandle(void *h)');
  const FILE_WRITE_ATTRIBUTES = 0x100;
  const SHARE_ALL = 7;
  const OPEN_EXISTING = 3;
  const FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;
  return (path, filetime) => {
    const h = CreateFileW(path, FILE_WRITE_ATTRIBUTES, SHARE_ALL, null, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, null) as unknown;
    const address = koffi.address(h);
    if (!address || address === 2n ** 64n - 1n || address === 2n ** 32n - 1n) return false; // INVALID_HANDLE_VALUE
    try {
      return SetFileTime(h, BigUint64Array.of(filetime), null, null) as boolean;
    } finally {
      CloseHandle(h);
    }
  };
}
