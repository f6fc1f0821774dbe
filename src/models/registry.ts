/**
 * The model families vidlens can load through transformers.js, keyed by `config.json`'s `model_type`.
 * Each family names the transformers.js classes for its two towers, the output holding the embedding,
 * and how its tokenizer pads.
 */
export interface ModelFamily {
  name: string;
  visionClass: string;
  textClass: string;
  visionOutputs: string[];
  textOutputs: string[];
  padding: true | 'max_length';
  maxLength?: number;
}

const FAMILIES: Record<string, ModelFamily> = {
  clip: {
    name: 'clip',
    visionClass: 'CLIPVisionModelWithProjection',
    textClass: 'CLIPTextModelWithProjection',
    visionOutputs: ['image_embeds'],
    textOutputs: ['text_embeds'],
    padding: true,
  },
  siglip: {
    name: 'siglip',
    visionClass: 'SiglipVisionModel',
    textClass: 'SiglipTextModel',
    visionOutputs: ['pooler_output'],
    textOutputs: ['pooler_output'],
    padding: 'max_length',
    maxLength: 64,
  },
  chinese_clip: {
    name: 'chinese_clip',
    visionClass: 'CLIPVisionModelWithProjection',
    textClass: 'CLIPTextModelWithProjection',
    visionOutputs: ['image_embeds'],
    textOutputs: ['text_embeds'],
    padding: true,
  },
  jina_clip: {
    name: 'jina_clip',
    visionClass: 'JinaCLIPVisionModel',
    textClass: 'JinaCLIPTextModel',
    visionOutputs: ['l2norm_image_embeddings', 'image_embeddings'],
    textOutputs: ['l2norm_text_embeddings', 'text_embeddings'],
    padding: true,
  },
};

/** Known model families; an unknown `model_type` is an error that lists these. */
export const KNOWN_FAMILIES = Object.keys(FAMILIES);

export function familyFor(modelType: string | undefined): ModelFamily | undefined {
  return modelType ? FAMILIES[modelType] : undefined;
}
