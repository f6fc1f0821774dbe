/** One frame handed to a model: JPEG bytes and its time in seconds from the start of the video. */
export interface QaFrame {
  jpeg: Buffer;
  time: number;
}

/** A fully built request: the frames and the prompt text (question, options, instructions). */
export interface QaRequest {
  frames: QaFrame[];
  prompt: string;
  system?: string;
}

/** Any model that answers a question about frames with text: an HTTP endpoint or a local model. */
export interface QaBackend {
  /** Names the model in reports and in the resume cache, e.g. `openai:Qwen/Qwen2.5-VL-7B-Instruct`. */
  readonly id: string;
  answer(request: QaRequest): Promise<string>;
}
