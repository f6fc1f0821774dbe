import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy, readNpy } from '../../src/util/npy.js';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

describe('.npy reading and writing', () => {
  it('reads a file written by numpy (float64, C order)', async () => {
    const m = await readNpy(fixture('numpy-f64-2x3.npy'));
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(Array.from(m.data)).toEqual([0.5, 0.25, -1, 2, 0, 1e-9]);
  });

  it('round-trips float32 and float64 with a 64-byte aligned header', () => {
    for (const data of [Float32Array.from([1.5, -2, 3, 4]), Float64Array.from([1e-300, 2, 3, 4])]) {
      const bytes = encodeNpy({ data, rows: 2, cols: 2 });
      expect((10 + bytes.readUInt16LE(8)) % 64).toBe(0);
      const back = parseNpy(bytes, 'x.npy');
      expect(back.data.constructor).toBe(data.constructor);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it('names the file and the reason for another dtype, Fortran order, another rank, bad magic or truncation', async () => {
    await expect(readNpy(fixture('numpy-i64.npy'))).rejects.toThrow(/numpy-i64\.npy: dtype <i8 is not supported/);
    await expect(readNpy(fixture('numpy-f32-fortran.npy'))).rejects.toThrow(/numpy-f32-fortran\.npy: Fortran-order arrays are not supported/);
    await expect(readNpy(fixture('numpy-f32-3d.npy'))).rejects.toThrow(/expected a 2-D array, got shape \(2, 2, 2\)/);
    expect(() => parseNpy(Buffer.from('not numpy at all'), 'text.npy')).toThrow(/text\.npy: not a \.npy file/);
    const whole = readFileSync(fixture('numpy-f64-2x3.npy'));
    expect(() => parseNpy(whole.subarray(0, whole.length - 8), 'cut.npy')).toThrow(/cut\.npy: truncated/);
    await expect(readNpy(fixture('absent.npy'))).rejects.toThrow(/absent\.npy: cannot read \(ENOENT\)/);
  });

  it('refuses a header length past the end of the file, an unknown version and a negative shape, naming the file', () => {
    const good = encodeNpy({ data: Float32Array.from([1, 2, 3, 4]), rows: 2, cols: 2 });
    const absurd = Buffer.from(good);
    absurd.writeUInt16LE(0xfff0, 8);
    expect(() => parseNpy(absurd, 'long.npy')).toThrow(/long\.npy: the \.npy header claims 65520 bytes but the file has \d+/);
    const v2 = Buffer.concat([good.subarray(0, 6), Buffer.from([2, 0]), Buffer.from([0xf0, 0xff, 0xff, 0xff]), good.subarray(10)]);
    expect(() => parseNpy(v2, 'v2.npy')).toThrow(/v2\.npy: the \.npy header claims 4294967280 bytes/);
    const v9 = Buffer.from(good);
    v9[6] = 9;
    expect(() => parseNpy(v9, 'v9.npy')).toThrow(/v9\.npy: \.npy format version 9 is not supported/);
    const negative = Buffer.from(good.toString('latin1').replace("'shape': (2, 2)", "'shape': (-2, 2)"), 'latin1');
    expect(() => parseNpy(negative, 'neg.npy')).toThrow(/neg\.npy: the \.npy shape \(-2, 2\) is not two non-negative integers/);
  });
});
