import { VERSION } from '../../core/version.js';
import type { Encoder } from '../../models/encoder.js';
import type { ModelRef, ReportHeader } from './types.js';

/** An encoder as reports name it. */
export function encoderRef(encoder: Encoder): ModelRef {
  const { id, sha256, dim } = encoder.manifest;
  return { id, sha256, dim };
}

/** The header every report starts with (version and time stamped here, once). */
export function reportHeader(fields: Omit<ReportHeader, 'vidlens' | 'created' | 'warnings' | 'adapter'> & Partial<Pick<ReportHeader, 'warnings' | 'adapter'>>): ReportHeader {
  return { vidlens: VERSION, created: new Date().toISOString(), adapter: null, warnings: [], ...fields };
}
