#!/usr/bin/env python3
"""gray-diff.py - how far one tool's gray outputs are from another's: mean absolute difference
in gray levels (0-255), per image then averaged, and the worst image. Prints one JSON line.

Usage: gray-diff.py OUT_A OUT_B   (files OUT_A/<stem>.jpg against OUT_B/<stem>.jpg)

An image of B whose size differs from A's by rounding (+-2 px) is resized to A's size (area
interpolation) before comparing. Needs python3-opencv and numpy (Debian's /usr/bin/python3).
"""
import json
import os
import sys

import cv2
import numpy as np


def main():
    a_dir, b_dir = sys.argv[1], sys.argv[2]
    diffs = {}
    missing = []
    for name in sorted(os.listdir(a_dir)):
        if not name.endswith('.jpg'):
            continue
        b_path = os.path.join(b_dir, name)
        if not os.path.exists(b_path):
            missing.append(name)
            continue
        a = cv2.imread(os.path.join(a_dir, name), cv2.IMREAD_GRAYSCALE).astype(np.float64)
        b = cv2.imread(b_path, cv2.IMREAD_GRAYSCALE)
        if b.shape != a.shape:
            b = cv2.resize(b, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_AREA)
        diffs[name] = float(np.mean(np.abs(a - b.astype(np.float64))))
    worst = max(diffs, key=diffs.get) if diffs else None
    print(json.dumps({'images': len(diffs), 'missing': missing, 'meanAbsDiff': float(np.mean(list(diffs.values()))) if diffs else None, 'worst': worst, 'worstDiff': diffs.get(worst)}))
    return 0 if diffs and not missing else 1


if __name__ == '__main__':
    sys.exit(main())
