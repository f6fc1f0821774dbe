/** The synthetic benchmark's defaults (what `vidlens synth` uses unless told otherwise). */
export const SYNTH_DEFAULTS = { seed: 7, perDomain: 60, size: 128, fps: 8, seconds: 4 } as const;
