#!/usr/bin/env python3
"""pillow-colour.py - the Pillow peer of PhotoPool's colour web export.

Usage: pillow-colour.py {jpeg|webp} IN_DIR OUT_DIR [--procs 2] [--box 1600] [--quality Q]

multiprocessing.Pool(N); per file: Image.open -> draft('RGB', 2x target) (JPEG DCT
shrink-on-load) -> exif_transpose -> convert('RGB') -> thumbnail((box, box)) (LANCZOS, never
enlarges) -> save JPEG quality Q (default 80) or WebP quality Q (default 75). Outputs are
OUT_DIR/<stem>.jpg|.webp. Needs python3-pil (Debian).
"""
import argparse
import os
from multiprocessing import Pool

from PIL import Image, ImageOps

ARGS = None


def one(src):
    box, fmt, q = ARGS.box, ARGS.format, ARGS.quality
    with Image.open(src) as im:
        im.draft('RGB', (box * 2, box * 2))
        im = ImageOps.exif_transpose(im).convert('RGB')
        im.thumbnail((box, box), Image.LANCZOS)
        stem = os.path.splitext(os.path.basename(src))[0]
        if fmt == 'jpeg':
            im.save(os.path.join(ARGS.out, stem + '.jpg'), 'JPEG', quality=q)
        else:
            im.save(os.path.join(ARGS.out, stem + '.webp'), 'WEBP', quality=q, method=4)
    return 1


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument('format', choices=['jpeg', 'webp'])
    p.add_argument('inp')
    p.add_argument('out')
    p.add_argument('--procs', type=int, default=2)
    p.add_argument('--box', type=int, default=1600)
    p.add_argument('--quality', type=int, default=None)
    ARGS = p.parse_args()
    if ARGS.quality is None:
        ARGS.quality = 80 if ARGS.format == 'jpeg' else 75
    os.makedirs(ARGS.out, exist_ok=True)
    files = sorted(os.path.join(ARGS.inp, f) for f in os.listdir(ARGS.inp) if f.lower().endswith(('.jpg', '.jpeg')))
    with Pool(ARGS.procs, initializer=_init, initargs=(ARGS,)) as pool:
        done = sum(pool.imap_unordered(one, files, chunksize=4))
    print(f'{done} files')


def _init(args):
    global ARGS
    ARGS = args


if __name__ == '__main__':
    main()
