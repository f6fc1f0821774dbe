import { batchMatMul, layerNormTf, matMul, tf, variableFrom } from '../../heads/tf.js';
import type { Rng } from '../../util/random.js';

/** The sizes of the CLIP that pretraining trains (and `models/tiny/towers.ts` exports). */
export interface ClipSizes {
  imageSize: number;
  patch: number;
  width: number;
  layers: number;
  heads: number;
  dim: number;
  textWidth: number;
  textLayers: number;
  textHeads: number;
  vocabSize: number;
  maxPositions: number;
}

/**
 * The variables of one tower, named exactly as the ONNX graph's initializers, except the patch
 * embedding: it is trained as a matrix [3·p·p, width] over flattened patches (tfjs on WASM has no
 * Conv2D gradient) and becomes the convolution kernel [width, 3, p, p] on export.
 */
export type TowerParams = Record<string, tf.Variable>;

export interface ClipParams {
  vision: TowerParams;
  text: TowerParams;
  /** log of the logit scale (CLIP's learned temperature), clamped to ≤ log 100. */
  logitScale: tf.Variable;
}

function normal(rng: Rng, size: number, std: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal() * std;
  return out;
}

function filled(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}

/** A pre-LayerNorm block's variables: GPT-2-style init, residual outputs scaled by 1/√(2·layers). */
function blockParams(rng: Rng, prefix: string, width: number, layers: number): Record<string, [Float32Array, number[]]> {
  const std = 1 / Math.sqrt(width);
  const residual = std / Math.sqrt(2 * layers);
  const out: Record<string, [Float32Array, number[]]> = {};
  const linear = (name: string, dIn: number, dOut: number, s: number) => {
    out[`${prefix}.${name}.weight`] = [normal(rng, dIn * dOut, s), [dIn, dOut]];
    out[`${prefix}.${name}.bias`] = [filled(dOut, 0), [dOut]];
  };
  const norm = (name: string) => {
    out[`${prefix}.${name}.weight`] = [filled(width, 1), [width]];
    out[`${prefix}.${name}.bias`] = [filled(width, 0), [width]];
  };
  norm('layer_norm1');
  for (const p of ['q_proj', 'k_proj', 'v_proj']) linear(`self_attn.${p}`, width, width, std);
  linear('self_attn.out_proj', width, width, residual);
  norm('layer_norm2');
  linear('mlp.fc1', width, 4 * width, std);
  linear('mlp.fc2', 4 * width, width, residual / 2);
  return out;
}

function variables(table: Record<string, [Float32Array, number[]]>): TowerParams {
  return Object.fromEntries(Object.entries(table).map(([name, [data, shape]]) => [name, variableFrom(data, shape)]));
}

/** Freshly initialised, seeded variables of both towers. */
export function initClipParams(s: ClipSizes, rng: Rng): ClipParams {
  const patchDim = 3 * s.patch * s.patch;
  const tokens = (s.imageSize / s.patch) ** 2 + 1;
  const vision: Record<string, [Float32Array, number[]]> = {
    'patch_embedding.weight': [normal(rng, patchDim * s.width, 1 / Math.sqrt(patchDim)), [patchDim, s.width]],
    class_embedding: [normal(rng, s.width, 0.02), [1, 1, s.width]],
    position_embedding: [normal(rng, tokens * s.width, 0.02), [tokens, s.width]],
    'pre_layrnorm.weight': [filled(s.width, 1), [s.width]],
    'pre_layrnorm.bias': [filled(s.width, 0), [s.width]],
    'post_layernorm.weight': [filled(s.width, 1), [s.width]],
    'post_layernorm.bias': [filled(s.width, 0), [s.width]],
    'visual_projection.weight': [normal(rng, s.width * s.dim, 1 / Math.sqrt(s.width)), [s.width, s.dim]],
  };
  for (let l = 0; l < s.layers; l++) Object.assign(vision, blockParams(rng, `encoder.layers.${l}`, s.width, s.layers));
  const text: Record<string, [Float32Array, number[]]> = {
    token_embedding: [normal(rng, s.vocabSize * s.textWidth, 0.02), [s.vocabSize, s.textWidth]],
    position_embedding: [normal(rng, s.maxPositions * s.textWidth, 0.01), [s.maxPositions, s.textWidth]],
    'final_layer_norm.weight': [filled(s.textWidth, 1), [s.textWidth]],
    'final_layer_norm.bias': [filled(s.textWidth, 0), [s.textWidth]],
    'text_projection.weight': [normal(rng, s.textWidth * s.dim, 1 / Math.sqrt(s.textWidth)), [s.textWidth, s.dim]],
  };
  for (let l = 0; l < s.textLayers; l++) Object.assign(text, blockParams(rng, `encoder.layers.${l}`, s.textWidth, s.textLayers));
  return { vision: variables(vision), text: variables(text), logitScale: variableFrom(Float32Array.of(Math.log(1 / 0.07)), []) };
}

/** `x·W + b` over the last axis of a [rows, in] matrix. */
function linear(x: tf.Tensor2D, p: TowerParams, name: string): tf.Tensor2D {
  return matMul(x, p[`${name}.weight`] as tf.Tensor2D).add(p[`${name}.bias`]);
}

/** CLIP's activation, as the ONNX graph computes it: x·sigmoid(1.702x). */
function quickGelu(x: tf.Tensor): tf.Tensor {
  return x.mul(tf.sigmoid(x.mul(1.702)));
}

/** The pre-LayerNorm block of `models/tiny/layers.ts`; `mask` [B, 1|H, T, T] is added to the attention scores. */
function block(x: tf.Tensor3D, p: TowerParams, prefix: string, heads: number, mask?: tf.Tensor): tf.Tensor3D {
  const [B, T, w] = x.shape;
  const hd = w / heads;
  const h = layerNormTf(x, p[`${prefix}.layer_norm1.weight`], p[`${prefix}.layer_norm1.bias`]).reshape([B * T, w]) as tf.Tensor2D;
  const split = (t: tf.Tensor2D) => t.reshape([B, T, heads, hd]).transpose([0, 2, 1, 3]).reshape([B * heads, T, hd]) as tf.Tensor3D;
  const q = split(linear(h, p, `${prefix}.self_attn.q_proj`));
  const k = split(linear(h, p, `${prefix}.self_attn.k_proj`));
  const v = split(linear(h, p, `${prefix}.self_attn.v_proj`));
  let scores = batchMatMul(q, k.transpose([0, 2, 1])).mul(1 / Math.sqrt(hd)) as tf.Tensor3D;
  if (mask) scores = scores.reshape([B, heads, T, T]).add(mask).reshape([B * heads, T, T]);
  const attended = batchMatMul(tf.softmax(scores) as tf.Tensor3D, v);
  const merged = attended.reshape([B, heads, T, hd]).transpose([0, 2, 1, 3]).reshape([B * T, w]) as tf.Tensor2D;
  const x1 = x.add(linear(merged, p, `${prefix}.self_attn.out_proj`).reshape([B, T, w])) as tf.Tensor3D;
  const h2 = layerNormTf(x1, p[`${prefix}.layer_norm2.weight`], p[`${prefix}.layer_norm2.bias`]).reshape([B * T, w]) as tf.Tensor2D;
  const hidden = quickGelu(linear(h2, p, `${prefix}.mlp.fc1`)) as tf.Tensor2D;
  return x1.add(linear(hidden, p, `${prefix}.mlp.fc2`).reshape([B, T, w])) as tf.Tensor3D;
}

/**
 * Flattens normalised NCHW pixels [B, 3, S, S] into patches [B, N, 3·p·p]: patch n = row·grid + col,
 * values in (channel, dy, dx) order — the layout of the ONNX graph's patch convolution.
 */
export function patchify(pixels: Float32Array, count: number, imageSize: number, patch: number): Float32Array {
  const grid = imageSize / patch;
  const patchDim = 3 * patch * patch;
  const plane = imageSize * imageSize;
  const out = new Float32Array(count * grid * grid * patchDim);
  let o = 0;
  for (let b = 0; b < count; b++) {
    for (let gy = 0; gy < grid; gy++) {
      for (let gx = 0; gx < grid; gx++) {
        for (let c = 0; c < 3; c++) {
          const base = b * 3 * plane + c * plane;
          for (let dy = 0; dy < patch; dy++) {
            const row = base + (gy * patch + dy) * imageSize + gx * patch;
            for (let dx = 0; dx < patch; dx++) out[o++] = pixels[row + dx];
          }
        }
      }
    }
  }
  return out;
}

/** The vision tower's last hidden state [B, 1 + N, width] (class token first) from patches [B, N, 3·p·p]. */
function visionHidden(p: TowerParams, s: ClipSizes, patches: tf.Tensor3D): tf.Tensor3D {
  const [B, N, P] = patches.shape;
  const embedded = matMul(patches.reshape([B * N, P]) as tf.Tensor2D, p['patch_embedding.weight'] as tf.Tensor2D).reshape([B, N, s.width]);
  const cls = tf.zeros([B, 1, s.width]).add(p.class_embedding);
  let x = tf.concat([cls, embedded], 1).add(p.position_embedding) as tf.Tensor3D;
  x = layerNormTf(x, p['pre_layrnorm.weight'], p['pre_layrnorm.bias']) as tf.Tensor3D;
  for (let l = 0; l < s.layers; l++) x = block(x, p, `encoder.layers.${l}`, s.heads);
  return x;
}

/** Rows of the hidden state [rows, width] through the post-LayerNorm and the visual projection. */
function project(p: TowerParams, rows: tf.Tensor2D): tf.Tensor2D {
  return matMul(layerNormTf(rows, p['post_layernorm.weight'], p['post_layernorm.bias']) as tf.Tensor2D, p['visual_projection.weight'] as tf.Tensor2D);
}

/** The vision tower's `image_embeds` [B, dim] (not normalised) from patches [B, N, 3·p·p]. */
export function visionForward(p: TowerParams, s: ClipSizes, patches: tf.Tensor3D): tf.Tensor2D {
  const B = patches.shape[0];
  return project(p, visionHidden(p, s, patches).slice([0, 0, 0], [B, 1, s.width]).reshape([B, s.width]));
}

/**
 * `image_embeds` [B, dim] and every patch token projected the same way [B·N, dim] (row b·N + n), not
 * normalised: the dense embeddings a patch-level loss reads (the exported graph's tokens are the hidden state before this projection).
 */
export function visionForwardDense(p: TowerParams, s: ClipSizes, patches: tf.Tensor3D): { image: tf.Tensor2D; patches: tf.Tensor2D } {
  const [B, N] = patches.shape;
  const x = visionHidden(p, s, patches);
  const image = project(p, x.slice([0, 0, 0], [B, 1, s.width]).reshape([B, s.width]));
  return { image, patches: project(p, x.slice([0, 1, 0], [B, N, s.width]).reshape([B * N, s.width])) };
}

/**
 * The text tower's `text_embeds` [B, dim] (not normalised) from token ids and attention mask [B, L]:
 * causal attention with key padding, pooled at the first end-of-text token (the row's largest id).
 */
export function textForward(p: TowerParams, s: ClipSizes, ids: Int32Array, mask: Int32Array, length: number): tf.Tensor2D {
  const B = ids.length / length;
  const L = length;
  const w = s.textWidth;
  // One-hot products instead of gathers: tfjs's WASM backend has no gather gradient (UnsortedSegmentSum).
  const tokens = matMul(tf.oneHot(tf.tensor1d(ids, 'int32'), s.vocabSize).toFloat() as tf.Tensor2D, p.token_embedding as tf.Tensor2D).reshape([B, L, w]);
  let x = tokens.add(p.position_embedding.slice([0, 0], [L, w])) as tf.Tensor3D;
  const causal = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) causal[i * L + j] = -1e9;
  const padding = Float32Array.from(mask, (m) => (1 - m) * -1e9);
  const additive = tf.tensor4d(causal, [1, 1, L, L]).add(tf.tensor4d(padding, [B, 1, 1, L]));
  for (let l = 0; l < s.textLayers; l++) x = block(x, p, `encoder.layers.${l}`, s.textHeads, additive);
  x = layerNormTf(x, p['final_layer_norm.weight'], p['final_layer_norm.bias']) as tf.Tensor3D;
  const pick = new Float32Array(B * B * L);
  for (let b = 0; b < B; b++) {
    let best = 0;
    for (let t = 1; t < L; t++) if (ids[b * L + t] > ids[b * L + best]) best = t;
    pick[b * B * L + b * L + best] = 1;
  }
  const pooled = matMul(tf.tensor2d(pick, [B, B * L]), x.reshape([B * L, w]) as tf.Tensor2D);
  return matMul(pooled, p['text_projection.weight'] as tf.Tensor2D);
}

/** Both towers' weights as the ONNX exporter takes them (the patch matrix turned into the convolution kernel). */
export function exportWeights(params: ClipParams, s: ClipSizes): { vision: Record<string, Float32Array>; text: Record<string, Float32Array> } {
  const read = (p: TowerParams) => Object.fromEntries(Object.entries(p).map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
  const vision = read(params.vision);
  const patchDim = 3 * s.patch * s.patch;
  const matrix = vision['patch_embedding.weight'];
  const kernel = new Float32Array(matrix.length);
  for (let k = 0; k < patchDim; k++) for (let o = 0; o < s.width; o++) kernel[o * patchDim + k] = matrix[k * s.width + o];
  vision['patch_embedding.weight'] = kernel;
  return { vision, text: read(params.text) };
}
