/**
 * A pipeline's result held as pixels, so that later steps (watermark, target-size encodes)
 * start from the decoded, resized image instead of decoding the input again.
 *
 * Pixels are kept raw; when metadata is kept they are kept as an uncompressed PNG instead,
 * which carries EXIF, XMP and ICC to the encodes that follow (not IPTC: second-pass.ts puts
 * it back into a JPEG).
 */
import sharp, { type Sharp } from 'sharp';

export interface Frozen {
  width: number;
  height: number;
  /** A new sharp instance on the pixels (each encode needs its own). */
  make(): Sharp;
}

/**
 * Run `img` to pixels.
 *
 * @example
 * const f = await freeze(sharp(input).resize(1024), false, 60);
 * await f.make().jpeg({ quality: 70 }).toBuffer();
 */
export async function freeze(img: Sharp, keepsMetadata: boolean, timeoutSeconds: number): Promise<Frozen> {
  const opts = { failOn: 'none' as const, limitInputPixels: false as const };
  if (keepsMetadata) {
    const { data, info } = await img.png({ compressionLevel: 0, adaptiveFiltering: false }).toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, make: () => sharp(data, opts).timeout({ seconds: timeoutSeconds }).keepMetadata() };
  }
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  // One band (+ alpha) is gray: say so, or sharp writes it as three equal sRGB bands.
  const gray = info.channels <= 2;
  return {
    width: info.width,
    height: info.height,
    make: () => {
      const img = sharp(data, { ...opts, raw }).timeout({ seconds: timeoutSeconds });
      return gray ? img.toColourspace('b-w') : img;
    },
  };
}
