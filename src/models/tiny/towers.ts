import { Rng } from '../../util/random.js';
import { GraphBuilder, type PresetWeights } from './graph.js';
import { layerNorm, linear, transformerBlock } from './layers.js';

function encodeChecked(g: GraphBuilder, name: string): Uint8Array {
  const unused = g.unusedPresets();
  if (unused.length) throw new Error(`${name}: weights not in the graph: ${unused.join(', ')}`);
  return g.encode(name);
}

export interface VisionConfig {
  imageSize: number;
  patchSize: number;
  width: number;
  layers: number;
  heads: number;
}

export interface TextConfig {
  vocabSize: number;
  maxPositions: number;
  width: number;
  layers: number;
  heads: number;
}

/**
 * CLIP's vision tower: patch convolution, class token, learned positions, pre-LayerNorm, transformer
 * blocks, post-LayerNorm on the class token, projection. Inputs `pixel_values` [B,3,S,S];
 * outputs `image_embeds` [B,dim] and `last_hidden_state` [B,1+N,width]. Weights are random unless `weights` gives them.
 */
export function visionTower(config: VisionConfig, dim: number, std: number, seed: number, weights?: PresetWeights): Uint8Array {
  const g = new GraphBuilder(new Rng(seed), weights);
  const { imageSize, patchSize, width, layers, heads } = config;
  const grid = Math.floor(imageSize / patchSize);
  const tokens = grid * grid + 1;
  const pixels = g.input('pixel_values', 'float', ['batch_size', 3, imageSize, imageSize]);
  const conv = g.op('Conv', [pixels, g.random('patch_embedding.weight', [width, 3, patchSize, patchSize], std)], {
    kernel_shape: { ints: [patchSize, patchSize] },
    strides: { ints: [patchSize, patchSize] },
  });
  const patches = g.op('Transpose', [g.op('Reshape', [conv, g.ints('patch_shape', [0, width, -1])])], { perm: { ints: [0, 2, 1] } });
  const batch = g.op('Slice', [g.op('Shape', [pixels]), g.ints('zero', [0]), g.ints('one', [1])]);
  const clsShape = g.op('Concat', [batch, g.ints('cls_tail', [1, width])], { axis: { i: 0 } });
  const cls = g.op('Expand', [g.random('class_embedding', [1, 1, width], std), clsShape]);
  let x = g.op('Concat', [cls, patches], { axis: { i: 1 } });
  x = g.op('Add', [x, g.random('position_embedding', [tokens, width], std)]);
  x = layerNorm(g, x, 'pre_layrnorm', width);
  for (let l = 0; l < layers; l++) x = transformerBlock(g, x, `encoder.layers.${l}`, { width, heads, std });
  g.output('last_hidden_state', x, ['batch_size', tokens, width]);
  const pooled = layerNorm(g, g.op('Gather', [x, g.ints('cls_index', [0])], { axis: { i: 1 } }), 'post_layernorm', width);
  const flat = g.op('Reshape', [pooled, g.ints('pooled_shape', [0, width])]);
  g.output('image_embeds', linear(g, flat, 'visual_projection', width, dim, std, false), ['batch_size', dim]);
  return encodeChecked(g, 'vision_model');
}

/**
 * CLIP's text tower: token + position embeddings, causal transformer with key padding from
 * `attention_mask`, final LayerNorm, the hidden state at the first end-of-text token (the largest
 * id, found by ArgMax as CLIP does), projection. Outputs `text_embeds` [B,dim] and `last_hidden_state`.
 */
export function textTower(config: TextConfig, dim: number, std: number, seed: number, weights?: PresetWeights): Uint8Array {
  const g = new GraphBuilder(new Rng(seed), weights);
  const { vocabSize, maxPositions, width, layers, heads } = config;
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  const length = g.op('Slice', [g.op('Shape', [ids]), g.ints('one', [1]), g.ints('two', [2])]);
  const positions = g.op('Slice', [g.random('position_embedding', [maxPositions, width], std), g.ints('zero', [0]), length, g.ints('axis0', [0])]);
  let x = g.op('Add', [g.op('Gather', [g.random('token_embedding', [vocabSize, width], std), ids]), positions]);

  const causalData = new Float32Array(maxPositions * maxPositions);
  for (let i = 0; i < maxPositions; i++) for (let j = i + 1; j < maxPositions; j++) causalData[i * maxPositions + j] = -1e9;
  const square = g.op('Concat', [length, length], { axis: { i: 0 } });
  const causal = g.op('Slice', [g.floats('causal_mask', [maxPositions, maxPositions], causalData), g.ints('zeros2', [0, 0]), square, g.ints('axes01', [0, 1])]);
  const keep = g.op('Cast', [mask], { to: { i: 1 } });
  const padding = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.constant('ones', [], 1), keep]), g.constant('neg', [], -1e9)]), g.ints('axes12', [1, 2])]);

  for (let l = 0; l < layers; l++) x = transformerBlock(g, x, `encoder.layers.${l}`, { width, heads, std }, [causal, padding]);
  x = layerNorm(g, x, 'final_layer_norm', width);
  g.output('last_hidden_state', x, ['batch_size', 'sequence_length', width]);
  const eot = g.op('ArgMax', [ids], { axis: { i: 1 }, keepdims: { i: 0 } });
  const pick = g.op('OneHot', [eot, length, g.floats('onehot_values', [2], Float32Array.from([0, 1]))], { axis: { i: -1 } });
  const pooled = g.op('Reshape', [g.op('MatMul', [g.op('Unsqueeze', [pick, g.ints('axis1', [1])]), x]), g.ints('pooled_shape', [0, width])]);
  g.output('text_embeds', linear(g, pooled, 'text_projection', width, dim, std, false), ['batch_size', dim]);
  return encodeChecked(g, 'text_model');
}
