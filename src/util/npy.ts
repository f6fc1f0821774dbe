import { writeFile } from 'node:fs/promises';
import { inputError } from '../core/errors.js';
import { readInput } from './read.js';
import type { Matrix } from './matrix.js';

/** A `.npy` file's 2-D array (dense, row-major). */
export type NpyMatrix = Matrix;

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/**
 * Parses a 2-D little-endian float32/float64 C-order `.npy` (format versions 1–3). Anything else —
 * another dtype, Fortran order, another rank, a short file — is an input error naming the file.
 */
export function parseNpy(bytes: Buffer, name: string, options: { shared?: boolean } = {}): NpyMatrix {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw inputError(`${name}: not a .npy file (bad magic bytes)`);
  const major = bytes[6];
  if (major < 1 || major > 3) throw inputError(`${name}: .npy format version ${major} is not supported (expected 1, 2 or 3)`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw inputError(`${name}: truncated .npy header`);
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  if (headerStart + headerLength > bytes.length) {
    throw inputError(`${name}: the .npy header claims ${headerLength} bytes but the file has ${bytes.length - headerStart} after the length field`);
  }
  const header = bytes.subarray(headerStart, headerStart + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw inputError(`${name}: unreadable .npy header ${JSON.stringify(header.trim().slice(0, 200))}`);
  if (descr !== '<f4' && descr !== '<f8') {
    throw inputError(`${name}: dtype ${descr} is not supported (expected little-endian float32 '<f4' or float64 '<f8')`);
  }
  if (fortran === 'True') throw inputError(`${name}: Fortran-order arrays are not supported (save with C order, e.g. np.ascontiguousarray)`);
  const dims = shapeText.split(',').map((s) => s.trim()).filter(Boolean);
  if (dims.length !== 2) throw inputError(`${name}: expected a 2-D array, got shape (${dims.join(', ')})`);
  if (!dims.every((d) => /^\d+$/.test(d))) throw inputError(`${name}: the .npy shape (${dims.join(', ')}) is not two non-negative integers`);
  const [rows, cols] = dims.map(Number);
  const itemSize = descr === '<f4' ? 4 : 8;
  const dataStart = headerStart + headerLength;
  const expected = rows * cols * itemSize;
  if (bytes.length - dataStart < expected) throw inputError(`${name}: truncated (${bytes.length - dataStart} data bytes for shape ${rows}×${cols})`);
  // Shared memory lets worker threads read the matrix without a copy each (`eval/mir-parallel.ts`).
  const copy = options.shared ? new SharedArrayBuffer(expected) : new ArrayBuffer(expected);
  new Uint8Array(copy).set(bytes.subarray(dataStart, dataStart + expected));
  const data = itemSize === 4 ? new Float32Array(copy) : new Float64Array(copy);
  return { data, rows, cols };
}

export async function readNpy(path: string, options: { shared?: boolean } = {}): Promise<NpyMatrix> {
  const bytes = await readInput(path);
  return parseNpy(bytes, path, options);
}

/** Serialises a matrix as `.npy` version 1.0 (header padded to a 64-byte boundary, as numpy writes it). */
export function encodeNpy(m: NpyMatrix): Buffer {
  const descr = m.data instanceof Float32Array ? '<f4' : '<f8';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  MAGIC.copy(prefix);
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength)]);
}

export async function writeNpy(path: string, m: NpyMatrix): Promise<void> {
  await writeFile(path, encodeNpy(m));
}
