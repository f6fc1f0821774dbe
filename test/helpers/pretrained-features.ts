import { join } from 'node:path';
import { captionSet, embedTexts } from '../../src/features/captions.js';
import { clipFeatures, type ClipFeatures } from '../../src/features/clip-features.js';
import { loadClipsJsonl } from '../../src/eval/datasets/clips.js';
import { openIndex } from '../../src/indexing/open.js';
import { writePretrainedModel } from '../../src/models/bundled.js';
import { generateSynth } from '../../src/synth/generate.js';
import { readNpy } from '../../src/util/npy.js';
import type { Matrix } from '../../src/util/matrix.js';

export interface PretrainedFeatures {
  clips: Array<{ labels: string[]; domain?: string }>;
  features: ClipFeatures;
  text: Float32Array;
  captionClip: number[];
  rel: Matrix;
  dim: number;
}

/** Features of the bundled pretrained model on a fresh synthetic set (a seed pretraining never used). */
export async function pretrainedFeatures(root: string, domains: Array<'lab' | 'factory' | 'night' | 'helmet'>, perDomain: number, seed: number): Promise<PretrainedFeatures> {
  await writePretrainedModel(join(root, 'model'));
  const synth = join(root, 'synth');
  await generateSynth({ out: synth, seed, perDomain, domains, size: 128, fps: 8, seconds: 4 });
  const data = await loadClipsJsonl(join(synth, 'clips.jsonl'));
  const rel = await readNpy(join(synth, 'relevancy.npy'));
  const { catalog, encoder } = await openIndex(join(root, 'db'), { model: join(root, 'model'), create: true });
  const features = await clipFeatures(data.clips, data.path, encoder, catalog);
  const { captions, captionClip } = captionSet(data.clips);
  const text = await embedTexts(encoder, captions);
  const dim = encoder.manifest.dim;
  await encoder.dispose();
  return { clips: data.clips, features, text, captionClip, rel, dim };
}
