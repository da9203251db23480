/**
 * The UI's Cluster setting and the per-machine figures of a cluster batch: the settings field
 * refuses credentials in the URL, the batch's NATS options take credentials from the
 * environment only, and the summary's machine rows add up to the batch.
 */
import { describe, expect, it } from 'vitest';
import { SettingsPatchSchema, SettingsSchema } from '../common/settings.js';
import { clusterOptions } from '../app/nats/cluster-setting.js';
import { machineLines, machineRows } from '../app/nats/machines.js';

describe('the Cluster setting', () => {
  it('keeps a broker URL and defaults to none', () => {
    expect(SettingsSchema.parse({}).cluster).toBeNull();
    expect(SettingsPatchSchema.parse({ cluster: { url: 'nats://broker.lan:4222' } }).cluster).toEqual({ url: 'nats://broker.lan:4222' });
  });

  it('refuses a user and password in the URL, naming the field', () => {
    const r = SettingsPatchSchema.safeParse({ cluster: { url: 'nats://photos:secret@broker.lan:4222' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['cluster', 'url']);
    expect(r.error!.issues[0]!.message).toMatch(/no user:password/);
  });

  it('refuses what is not a NATS URL', () => {
    expect(SettingsPatchSchema.safeParse({ cluster: { url: 'http://broker.lan/x y' } }).success).toBe(false);
  });

  it('gives a batch the URL and credentials from the environment only', () => {
    expect(clusterOptions(null, {})).toBeUndefined();
    expect(clusterOptions({ url: 'nats://b:4222' }, {})).toEqual({ url: 'nats://b:4222', window: 32 });
    expect(clusterOptions({ url: 'nats://b:4222' }, { PHOTOPOOL_NATS_CREDS: '/k/a.creds', PHOTOPOOL_NATS_TLS_CA: '/k/ca.pem' })).toEqual({ url: 'nats://b:4222', window: 32, creds: '/k/a.creds', tlsCa: '/k/ca.pem' });
  });
});

describe('per-machine throughput', () => {
  it('groups remote workers by host, the local pool first, and adds up to the batch', () => {
    const rows = machineRows({ 'scan2/1': 50, 'scan2/0': 60, 'lab.example/x/0': 5 }, 150, 10_000);
    expect(rows.map((r) => [r.machine, r.files])).toEqual([
      ['this machine', 35],
      ['scan2', 110],
      ['lab.example/x', 5],
    ]);
    expect(rows.reduce((s, r) => s + r.files, 0)).toBe(150);
    expect(rows.find((r) => r.machine === 'scan2')!.imagesPerSec).toBeCloseTo(11);
    expect(rows.find((r) => r.machine === 'scan2')!.workers).toEqual([['scan2/0', 60], ['scan2/1', 50]]);
  });

  it('prints one line per machine with its workers', () => {
    expect(machineLines({ 'scan2/0': 60 }, 100, 10_000)).toBe('Machines:\n  this machine: 40 files, 4.00 images/s\n  scan2: 60 files, 6.00 images/s (scan2/0: 60)\n');
  });
});
