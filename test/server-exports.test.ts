/**
 * CSV exports (common/csv.ts, used by the bench table and the failures list): a cell that a
 * spreadsheet would run as a formula is written as text.
 */
import { describe, expect, it } from 'vitest';
import { benchCsv, type BenchRow, type MachineInfo } from '../common/bench.js';
import { csvCell } from '../common/csv.js';

describe('CSV cells', () => {
  it('neutralise = + - @ tab and CR at the start of a text; quote what needs it; numbers stay numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(['+1', '-2+3', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'+1", "'-2+3", "'@SUM(A1)", "'\tx", `"'\rx"`]);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('plain name.jpg')).toBe('plain name.jpg');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(undefined)).toBe('');
  });

  it('benchCsv writes a formula-looking model name as text', () => {
    const machine: MachineInfo = { cpu: 'cpu', cores: 2, memoryGiB: 8, os: 'linux', node: '20', sharp: '0.35', libvips: '8.18', uvThreadpoolSize: 4 } as MachineInfo;
    const row = { model: '=cmd|"/c calc"!A1', workers: 1, images: 10, megapixels: 1, medianS: 1, minS: 1, maxS: 1, imagesPerSec: 10, mpPerSec: 1, speedup: 1, efficiency: 1, cpuPercent: 100, peakRssMiB: 100, disturbed: false } as unknown as BenchRow;
    const line = benchCsv([row], machine).split('\n')[2]!;
    expect(line.startsWith(`"'=cmd|""/c calc""!A1",1,10,`)).toBe(true);
  });
});
