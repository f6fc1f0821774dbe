/** The zero-shot prompt template when `--prompts` gives none ({} is the class name). */
export const DEFAULT_PROMPT = 'a video of {}.';
