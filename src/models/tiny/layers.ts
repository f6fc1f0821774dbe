import type { GraphBuilder } from './graph.js';

/** `x·W + b` with W of shape [in, out] (MatMul broadcasts over leading dims). */
export function linear(g: GraphBuilder, x: string, name: string, dIn: number, dOut: number, std: number, bias = true): string {
  const y = g.op('MatMul', [x, g.random(`${name}.weight`, [dIn, dOut], std)]);
  return bias ? g.op('Add', [y, g.constant(`${name}.bias`, [dOut], 0)]) : y;
}

export function layerNorm(g: GraphBuilder, x: string, name: string, width: number): string {
  const scale = g.constant(`${name}.weight`, [width], 1);
  const shift = g.constant(`${name}.bias`, [width], 0);
  return g.op('LayerNormalization', [x, scale, shift], { axis: { i: -1 }, epsilon: { f: 1e-5 } });
}

/** CLIP's activation: x·sigmoid(1.702x). */
export function quickGelu(g: GraphBuilder, x: string): string {
  const scaled = g.op('Mul', [x, g.constant(`quick_gelu_${x}`, [], 1.702)]);
  return g.op('Mul', [x, g.op('Sigmoid', [scaled])]);
}

export interface AttentionShape {
  width: number;
  heads: number;
  std: number;
}

/**
 * Multi-head self-attention over `x` [B, T, width]. `masks` are added to the scores [B, H, T, T]
 * (broadcastable), e.g. a causal mask or a key-padding mask.
 */
export function selfAttention(g: GraphBuilder, x: string, name: string, shape: AttentionShape, masks: string[] = []): string {
  const { width, heads, std } = shape;
  const headDim = width / heads;
  const split = g.ints(`${name}.split_shape`, [0, 0, heads, headDim]);
  const q = g.op('Transpose', [g.op('Reshape', [linear(g, x, `${name}.q_proj`, width, width, std), split])], { perm: { ints: [0, 2, 1, 3] } });
  const k = g.op('Transpose', [g.op('Reshape', [linear(g, x, `${name}.k_proj`, width, width, std), split])], { perm: { ints: [0, 2, 3, 1] } });
  const v = g.op('Transpose', [g.op('Reshape', [linear(g, x, `${name}.v_proj`, width, width, std), split])], { perm: { ints: [0, 2, 1, 3] } });
  let scores = g.op('Mul', [g.op('MatMul', [q, k]), g.constant(`${name}.scale`, [], 1 / Math.sqrt(headDim))]);
  for (const mask of masks) scores = g.op('Add', [scores, mask]);
  const attended = g.op('MatMul', [g.op('Softmax', [scores], { axis: { i: -1 } }), v]);
  const merged = g.op('Reshape', [g.op('Transpose', [attended], { perm: { ints: [0, 2, 1, 3] } }), g.ints(`${name}.merge_shape`, [0, 0, width])]);
  return linear(g, merged, `${name}.out_proj`, width, width, std);
}

/** A pre-LayerNorm transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)) with a 4× QuickGELU MLP. */
export function transformerBlock(g: GraphBuilder, x: string, name: string, shape: AttentionShape, masks: string[] = []): string {
  const { width, std } = shape;
  const h = g.op('Add', [x, selfAttention(g, layerNorm(g, x, `${name}.layer_norm1`, width), `${name}.self_attn`, shape, masks)]);
  const hidden = quickGelu(g, linear(g, layerNorm(g, h, `${name}.layer_norm2`, width), `${name}.mlp.fc1`, width, 4 * width, std));
  return g.op('Add', [h, linear(g, hidden, `${name}.mlp.fc2`, 4 * width, width, std)]);
}
