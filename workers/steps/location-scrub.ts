/**
 * Removing where a photo was taken from its metadata bytes, in place: every edit keeps the
 * length of what it edits, so the file's structure (JPEG segments, WebP chunks, TIFF offsets)
 * stays valid and sharp then copies the cleaned metadata into the output like any other.
 *
 * - EXIF: the GPS IFD's entries and values are zeroed and the GPSInfo pointer (tag 0x8825) is
 *   taken out of IFD0. The maker note (tag 0x927C of the Exif IFD), which some cameras also
 *   fill with a position in the maker's own layout, is zeroed whole (its tag stays, empty).
 * - XMP: every `*:GPS*` / `*:Gps*` property (`exif:GPSLatitude`, `drone-dji:GpsLongitude`, ...)
 *   and the IPTC/Photoshop location fields (City, State, Country, Location, LocationCreated,
 *   LocationShown, ...) are overwritten with spaces.
 * - IPTC-IIM: the data of datasets 2:90 City, 2:92 Sublocation, 2:95 Province/State,
 *   2:100 Country code and 2:101 Country are overwritten with spaces.
 */

const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const GPS_POINTER = 0x8825;
const EXIF_POINTER = 0x8769;
const MAKER_NOTE = 0x927c;

/**
 * Scrub the EXIF GPS block of the TIFF structure starting at `base` in `buf` (edited in place).
 * Returns false when the structure is not one it can walk safely (the caller then drops EXIF).
 *
 * @example
 * scrubExifGps(jpeg, app1Start + 6) // true: IFD0 no longer points at a GPS IFD
 */
export function scrubExifGps(buf: Buffer, base: number): boolean {
  const order = buf.toString('latin1', base, base + 2);
  if (order !== 'II' && order !== 'MM') return false;
  const le = order === 'II';
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const inside = (o: number, n: number) => o >= base && o + n <= buf.length;
  if (!inside(base, 8) || u16(base + 2) !== 42) return false;
  const ifd0 = base + u32(base + 4);
  if (!inside(ifd0, 2)) return false;
  const count = u16(ifd0);
  if (!inside(ifd0 + 2, count * 12 + 4)) return false;
  const entryOf = (ifd: number, n: number, tag: number) => {
    for (let i = 0; i < n; i++) if (u16(ifd + 2 + i * 12) === tag) return ifd + 2 + i * 12;
    return -1;
  };
  // The maker note: its value zeroed, wherever it is (inline when 4 bytes or fewer).
  const exifAt = entryOf(ifd0, count, EXIF_POINTER);
  if (exifAt >= 0) {
    const exif = base + u32(exifAt + 8);
    if (!inside(exif, 2) || !inside(exif + 2, u16(exif) * 12)) return false;
    const note = entryOf(exif, u16(exif), MAKER_NOTE);
    if (note >= 0) {
      const size = (TYPE_SIZE[u16(note + 2)] ?? 1) * u32(note + 4);
      const at = size > 4 ? base + u32(note + 8) : note + 8;
      if (!inside(at, size)) return false;
      buf.fill(0, at, at + size);
    }
  }
  for (let i = 0; i < count; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (u16(entry) !== GPS_POINTER) continue;
    const gps = base + u32(entry + 8);
    if (inside(gps, 2)) {
      const n = u16(gps);
      if (!inside(gps + 2, n * 12)) return false;
      for (let j = 0; j < n; j++) {
        const e = gps + 2 + j * 12;
        const size = (TYPE_SIZE[u16(e + 2)] ?? 1) * u32(e + 4);
        if (size > 4 && inside(base + u32(e + 8), size)) buf.fill(0, base + u32(e + 8), base + u32(e + 8) + size);
      }
      buf.fill(0, gps, gps + 2 + n * 12);
    }
    // Take the pointer out of IFD0: later entries and the next-IFD offset move up 12 bytes.
    const end = ifd0 + 2 + count * 12 + 4;
    buf.copy(buf, entry, entry + 12, end);
    buf.fill(0, end - 12, end);
    if (le) buf.writeUInt16LE(count - 1, ifd0);
    else buf.writeUInt16BE(count - 1, ifd0);
    return true;
  }
  return true; // no GPS block
}

/** XMP properties that say where: element or attribute form, any namespace prefix used for them. */
const XMP_LOCATION = /(?:[\w-]+:(?:GPS|Gps)\w*|photoshop:(?:City|State|Country)|Iptc4xmpCore:(?:Location|CountryCode)|Iptc4xmpExt:(?:LocationCreated|LocationShown))/.source;
const XMP_ELEMENT = new RegExp(`<(${XMP_LOCATION})\\b[^>]*?(?:/>|>[\\s\\S]*?</\\1\\s*>)`, 'g');
const XMP_ATTRIBUTE = new RegExp(`\\s(${XMP_LOCATION})\\s*=\\s*(?:"[^"]*"|'[^']*')`, 'g');

/**
 * Overwrite the location properties of the XMP packet at `buf[start, end)` with spaces.
 *
 * @example
 * scrubXmpLocation(jpeg, xmpStart, xmpEnd) // 2 properties removed
 */
export function scrubXmpLocation(buf: Buffer, start: number, end: number): number {
  const text = buf.toString('latin1', start, end); // one character per byte: offsets stay byte offsets
  let removed = 0;
  for (const re of [XMP_ELEMENT, XMP_ATTRIBUTE]) {
    for (const m of text.matchAll(re)) {
      buf.fill(0x20, start + m.index, start + m.index + m[0].length);
      removed++;
    }
  }
  return removed;
}

const IPTC_LOCATION = new Set([90, 92, 95, 100, 101]);

/**
 * Overwrite the location datasets of the IPTC-IIM block at `buf[start, end)` with spaces.
 *
 * @example
 * scrubIptcLocation(jpeg, iptcStart, iptcEnd)
 */
export function scrubIptcLocation(buf: Buffer, start: number, end: number): void {
  let o = start;
  while (o + 5 <= end) {
    if (buf[o] !== 0x1c) {
      o++;
      continue;
    }
    const record = buf[o + 1]!;
    const dataset = buf[o + 2]!;
    const len = buf.readUInt16BE(o + 3);
    if (len & 0x8000) return; // extended length: not used for text fields
    if (record === 2 && IPTC_LOCATION.has(dataset)) buf.fill(0x20, o + 5, Math.min(end, o + 5 + len));
    o += 5 + len;
  }
}
