import type { MirMetrics, MirScore } from './metrics/mir.js';

/** NaN becomes null in JSON; the contract's numbers stay numbers. */
const num = (v: number): number | null => (Number.isNaN(v) ? null : v);

function valid(s: MirScore) {
  return { mean: num(s.validMean), invalid_rows: s.invalidRows, rows: s.rows };
}

/**
 * The `metrics mir` JSON shape: `{"mAP":{"v2t","t2v","avg"},"nDCG":{...}}` with the published values
 * (null where NaN), plus the means over valid rows and the warnings.
 */
export function mirJson(m: MirMetrics) {
  return {
    definition: 'EPIC-KITCHENS-100 multi-instance retrieval (mAP with graded precision; nDCG truncated at the nonzero count); fractions in [0, 1], higher is better',
    mAP: { v2t: num(m.mAP.v2t.value), t2v: num(m.mAP.t2v.value), avg: num(m.mAP.avg) },
    nDCG: { v2t: num(m.nDCG.v2t.value), t2v: num(m.nDCG.t2v.value), avg: num(m.nDCG.avg) },
    valid: {
      mAP: { v2t: valid(m.mAP.v2t), t2v: valid(m.mAP.t2v) },
      nDCG: { v2t: valid(m.nDCG.v2t), t2v: valid(m.nDCG.t2v) },
    },
    warnings: m.warnings,
  };
}
