import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { vidlens, vidlensJson } from '../helpers/cli.js';
import { startChatServer, type ChatRequest } from '../helpers/chat-server.js';
import { tempDir } from '../helpers/tmp.js';
import type { QaReport } from '../../src/eval/report/types.js';

const root = tempDir();
const synth = join(root, 'synth');
const db = join(root, 'db');
const qa = join(synth, 'qa.json');
const answers = join(synth, 'qa_answers.json');

interface Answer {
  id: number;
  correct_option_letter: string;
  answer_text: string;
}
interface Item {
  id: number;
  primary_category: string;
  video: string;
}

/** Replies by category: strict JSON "A", text "B", two letters "A or B", JSON "C" inside prose. */
function byCategory(r: ChatRequest) {
  if (r.prompt.includes('How many')) return { content: '{"prediction": "A", "reason": "counted"}' };
  if (r.prompt.includes('What colour') || r.prompt.includes('What shape')) return { content: 'I think the answer is B.' };
  if (r.prompt.includes('In which part')) return { content: 'A or B' };
  return { content: 'Sure. {"prediction": "C", "reason": "it keeps going"} Done.' };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('vidlens eval qa / ask', () => {
  let items: Item[];
  let keys: Answer[];
  beforeAll(async () => {
    expect((await vidlens(['model', 'tiny', join(root, 'tiny')])).code).toBe(0);
    expect((await vidlens(['synth', '--out', synth, '--per-domain', '2', '--seed', '3'])).code).toBe(0);
    expect((await vidlens(['index', join(synth, 'videos'), '--db', db, '--model', join(root, 'tiny')])).code).toBe(0);
    items = JSON.parse(readFileSync(qa, 'utf8')) as Item[];
    keys = JSON.parse(readFileSync(answers, 'utf8')) as Answer[];
  });

  it('scores CloseQA strictly and leniently from a live endpoint, with the baseline row, per domain and category', async () => {
    const server = await startChatServer(byCategory);
    close = server.close;
    const out = join(root, 'close');
    const { code, json } = await vidlensJson<QaReport>(['eval', 'qa', '--dataset', qa, '--answers', answers, '--db', db, '--llm-url', server.url, '--llm-model', 'vlm', '--out', out]);
    expect(code).toBe(0);
    expect(json.dataset.n).toBe(32);
    // The model under test is the chat model; the baseline's encoder is recorded beside it.
    expect(json.model).toEqual({ id: expect.stringContaining('vlm') });
    expect(json.config.baseline).toMatchObject({ db, model: { id: 'local:tiny', dim: 128 } });
    const cat = (id: number) => items[id].primary_category;
    const expectedStrict = keys.filter((k) => (cat(k.id) === 'Counting' && k.correct_option_letter === 'A') || (cat(k.id) === 'Prediction' && k.correct_option_letter === 'C')).length;
    const expectedLenient = keys.filter((k) => ({ Counting: 'A', Identification: 'B', Localization: 'A', Prediction: 'C' })[cat(k.id)] === k.correct_option_letter).length;
    expect(json.metrics.closeqa?.strict).toEqual({ accuracy: (100 * expectedStrict) / 32, correct: expectedStrict, n: 32 });
    expect(json.metrics.closeqa?.lenient.correct).toBe(expectedLenient);
    expect(json.metrics.baseline?.closeqa.strict.n).toBe(32);
    expect(Object.keys(json.domains).sort()).toEqual(['factory', 'helmet', 'lab', 'night']);
    expect(Object.keys(json.metrics.categories).sort()).toEqual(['Counting', 'Identification', 'Localization', 'Prediction']);
    // Requests carry the frames at 1 fps with their times and the frame rates.
    expect(server.requests).toHaveLength(32);
    expect(server.requests[0].images).toHaveLength(4);
    expect(server.requests[0].prompt).toMatch(/recorded at 8 fps\. These 4 frames were sampled at 1 fps\. Times: frame 1 at 0\.50 s/);
    expect(readFileSync(join(out, 'replies.jsonl'), 'utf8').trim().split('\n')).toHaveLength(32);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/CloseQA strict accuracy/);

    const again = await startChatServer(() => ({ status: 500, raw: 'down' }));
    const rerun = await vidlensJson<QaReport>(['eval', 'qa', '--dataset', qa, '--answers', answers, '--llm-url', again.url, '--llm-model', 'vlm', '--out', out, '--db', join(root, 'no-db')]);
    await again.close();
    expect(rerun.code).toBe(0);
    expect(again.requests).toHaveLength(0);
    expect(rerun.json.metrics.closeqa?.strict.correct).toBe(expectedStrict);
  });

  it('keeps every reply when the endpoint goes down mid-run, and resumes from them', async () => {
    const out = join(root, 'flaky');
    const flaky = await startChatServer((r, i) => (i < 5 ? byCategory(r) : { status: 503, raw: 'gone' }));
    const failed = await vidlens(['eval', 'qa', '--dataset', qa, '--answers', answers, '--llm-url', flaky.url, '--llm-model', 'vlm', '--llm-concurrency', '1', '--llm-retries', '1', '--out', out, '--db', join(root, 'no-db')]);
    await flaky.close();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/--llm-url http:\/\/127\.0\.0\.1:\d+\/v1: no answer after 1 attempt\(s\) \(HTTP 503: gone\); the 5 answered now are kept in .*replies\.jsonl/);
    expect(readFileSync(join(out, 'replies.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
    const healthy = await startChatServer(byCategory);
    close = healthy.close;
    const resumed = await vidlensJson<QaReport>(['eval', 'qa', '--dataset', qa, '--answers', answers, '--llm-url', healthy.url, '--llm-model', 'vlm', '--out', out, '--db', join(root, 'no-db')]);
    expect(resumed.code).toBe(0);
    expect(healthy.requests).toHaveLength(27);
  });

  it('only predicts without --answers, writing each question\'s letters, and refuses a judge with nothing to judge against', async () => {
    const server = await startChatServer(byCategory);
    close = server.close;
    const out = join(root, 'predict-only');
    const { code, json } = await vidlensJson<QaReport>(['eval', 'qa', '--dataset', qa, '--db', db, '--llm-url', server.url, '--llm-model', 'vlm', '--out', out]);
    expect(code).toBe(0);
    expect(json.config.scored).toBe(false);
    expect(json.metrics.closeqa).toBeUndefined();
    expect(json.metrics.baseline).toBeUndefined();
    expect(json.details.every((d) => d.key === null && d.baseline?.correct === null)).toBe(true);
    const predicted = readFileSync(join(out, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; prediction: string; baseline: string });
    expect(predicted).toHaveLength(32);
    const expected: Record<string, string> = { Counting: 'A', Identification: 'B', Localization: 'A', Prediction: 'C' };
    for (const p of predicted) {
      expect(p.prediction).toBe(expected[items[Number(p.id)].primary_category]);
      expect(['A', 'B', 'C', 'D']).toContain(p.baseline);
    }
    const text = await vidlens(['eval', 'qa', '--dataset', qa, '--llm-url', server.url, '--llm-model', 'vlm', '--out', out, '--db', join(root, 'no-db'), '--limit', '2']);
    expect(text.stdout).toMatch(new RegExp(`2 questions, mode close, model openai:vlm, baseline none: predictions only \\(no --answers\\)\\n0 +model ${expected[items[0].primary_category]}\\n1 +model ${expected[items[1].primary_category]}\\n`));
    const judged = await vidlens(['eval', 'qa', '--mode', 'open', '--dataset', qa, '--llm-url', server.url, '--llm-model', 'vlm', '--judge-model', 'judge', '--db', join(root, 'no-db')]);
    expect(judged.code).toBe(2);
    expect(judged.stderr).toMatch(/--judge-model marks answers against the reference answers: give --answers/);
  });

  it('marks OpenQA by substring, else by the judge, retrying an unparseable judge five times before mark 0', async () => {
    const server = await startChatServer((r) => {
      if (r.body.model === 'judge') return { content: r.prompt.includes('Reference answer: 2\n') ? '{"mark": 4}' : 'I cannot grade this' };
      return { content: r.prompt.includes('How many') ? 'I count 3 shapes.' : 'Hard to say.' };
    });
    close = server.close;
    const { code, json } = await vidlensJson<QaReport>(['eval', 'qa', '--mode', 'open', '--dataset', qa, '--answers', answers, '--llm-url', server.url, '--llm-model', 'vlm', '--judge-model', 'judge', '--db', join(root, 'no-db')]);
    expect(code).toBe(0);
    const counting = keys.filter((k) => items[k.id].primary_category === 'Counting');
    const threes = counting.filter((k) => k.answer_text === '3').length;
    const judgedFour = counting.filter((k) => k.answer_text === '2').length;
    expect(json.metrics.openqa).toEqual({ accuracy: (100 * (threes + judgedFour)) / 32, mean_mark: (5 * threes + 4 * judgedFour) / 32, n: 32 });
    const garbage = json.details.find((d) => d.mark === 0);
    expect(garbage?.judge).toHaveLength(5);
  });

  it('asks one question about a video span, multiple choice, with N frames', async () => {
    const server = await startChatServer(() => ({ content: '{"prediction": "b", "reason": "green"}' }));
    close = server.close;
    const video = join(synth, items[0].video);
    const { code, json } = await vidlensJson<{ prediction: string; frames: number[]; source: string }>(['ask', video, 'What colour is the moving shape?', '--options', 'A: red,B: green, with a comma,C: blue', '--frames', '3', '--start', '1', '--end', '4', '--llm-url', server.url, '--llm-model', 'vlm']);
    expect(code).toBe(0);
    expect(json.prediction).toBe('B');
    expect(json.frames).toEqual([1.5, 2.5, 3.5]);
    expect(server.requests[0].images).toHaveLength(3);
    expect(server.requests[0].prompt).toContain('B: green, with a comma');
    const text = await vidlens(['ask', video, 'What colour is the moving shape?', '--options', 'A: red,B: green', '--frames', '2', '--llm-url', server.url, '--llm-model', 'vlm']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`B: green\nreason: green\n(openai:vlm, 2 frames from 1.00 to 3.00 s)\n`);
    const offline = await vidlensJson<{ prediction: string; source: string }>(['ask', video, 'What colour?', '--options', 'A: red,B: green', '--db', db]);
    expect(offline.json.source).toBe('baseline:local:tiny');
    expect(['A', 'B']).toContain(offline.json.prediction);
  });

  it('names the missing frame file, the bad option and the missing model flag', async () => {
    const broken = join(synth, 'broken.json');
    const copy = JSON.parse(readFileSync(qa, 'utf8')) as Array<{ video_path: string[] }>;
    copy[0].video_path[1] = 'frames/nowhere/frame_00001.jpg';
    writeFileSync(broken, JSON.stringify(copy));
    const missing = await vidlens(['eval', 'qa', '--dataset', broken, '--answers', answers, '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/frame file .*frames\/nowhere\/frame_00001\.jpg is missing/);
    const skipping = await vidlensJson<QaReport>(['eval', 'qa', '--dataset', broken, '--answers', answers, '--db', db, '--skip-missing']);
    expect(skipping.code).toBe(0);
    expect(skipping.json.dataset.n).toBe(31);
    expect(skipping.json.config.skipped).toEqual([`item ${items[0].id}: ${join(synth, 'frames', 'nowhere', 'frame_00001.jpg')} does not exist`]);
    expect(skipping.json.warnings[0]).toMatch(/^skipped 1 question\(s\) whose frames or video do not exist/);
    const badOption = await vidlens(['ask', join(synth, items[0].video), 'q?', '--options', 'red or green', '--db', db]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--options: option "red or green" is not in the form "A: text"/);
    const video = join(synth, items[0].video);
    for (const [args, message] of [
      [['  '], /<question>: the question is empty/],
      [['q?', '--start', '-3'], /option '--start <s>' argument '-3' is invalid\. expected a number ≥ 0/],
      [['q?', '--start', '3', '--end', '1'], /--end 1: must be after --start 3/],
    ] as Array<[string[], RegExp]>) {
      const r = await vidlens(['ask', video, ...args, '--options', 'A: x,B: y', '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const open = await vidlens(['ask', join(synth, items[0].video), 'what happens?', '--db', db]);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/--llm-url and --llm-model are required for open questions/);
    const half = await vidlens(['ask', join(synth, items[0].video), 'q?', '--llm-url', 'http://127.0.0.1:1/v1']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--llm-model is required with --llm-url/);
  });

  it('never reads a frame file outside the dataset folder or --frames-root, links included, unless told to', async () => {
    const server = await startChatServer(() => ({ content: '{"prediction": "A"}' }));
    close = server.close;
    const outside = join(root, 'outside');
    mkdirSync(outside, { recursive: true });
    const secret = join(outside, 'secret.jpg');
    const copy = JSON.parse(readFileSync(qa, 'utf8')) as Array<{ id: number; video_path: string[] }>;
    copyFileSync(join(synth, copy[0].video_path[0]), secret);
    symlinkSync(secret, join(synth, 'frames', 'link-out.jpg'));
    const llm = ['--llm-url', server.url, '--llm-model', 'vlm', '--limit', '1'];
    for (const [path, root2] of [[secret, undefined], ['../outside/secret.jpg', undefined], ['frames/link-out.jpg', undefined], ['../../outside/secret.jpg', join(synth, 'frames')]] as Array<[string, string | undefined]>) {
      copy[0].video_path[0] = path;
      const hostile = join(synth, 'hostile.json');
      writeFileSync(hostile, JSON.stringify(copy));
      const r = await vidlens(['eval', 'qa', '--dataset', hostile, '--answers', answers, ...llm, ...(root2 ? ['--frames-root', root2] : [])]);
      expect(r.code, path).toBe(2);
      expect(r.stderr).toContain(`item ${copy[0].id}: frame file ${path} resolves to ${secret}, outside`);
      expect(r.stderr).toContain('--frames-anywhere');
    }
    expect(server.requests).toHaveLength(0);
    copy[0].video_path[0] = secret;
    writeFileSync(join(synth, 'hostile.json'), JSON.stringify(copy));
    const allowed = await vidlens(['eval', 'qa', '--dataset', join(synth, 'hostile.json'), '--answers', answers, ...llm, '--frames-anywhere']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it('caps what one input may hold: frame files, questions, frame counts and replies', async () => {
    const copy = JSON.parse(readFileSync(qa, 'utf8')) as Array<{ id: number; question_text: string; video_path: string[] }>;
    const capped = join(synth, 'capped.json');
    copy[0].video_path[0] = '/dev/zero';
    writeFileSync(capped, JSON.stringify(copy));
    const device = await vidlens(['eval', 'qa', '--dataset', capped, '--answers', answers, '--db', db, '--limit', '1', '--frames-anywhere']);
    expect(device.code).toBe(2);
    expect(device.stderr).toMatch(/\/dev\/zero: not a regular file/);

    const fresh = JSON.parse(readFileSync(qa, 'utf8')) as typeof copy;
    fresh[1].question_text = 'why? '.repeat(2000);
    writeFileSync(capped, JSON.stringify(fresh));
    const long = await vidlens(['eval', 'qa', '--dataset', capped, '--answers', answers, '--db', db]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(new RegExp(`capped\\.json: item ${fresh[1].id}: question_text: a question may have at most 4000 characters \\(this one has 10000\\)`));

    const video = join(synth, items[0].video);
    const many = await vidlens(['ask', video, 'q?', '--options', 'A: x,B: y', '--fps', '1000', '--db', db]);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/--fps 1000 over 4\.0 s asks for 4000 frames; at most 256 are sent with one question/);

    const chatty = await startChatServer(() => ({ content: `{"prediction": "A"} ${'blah '.repeat(4000)}` }));
    close = chatty.close;
    const out = join(root, 'chatty');
    const cut = await vidlensJson<QaReport>(['eval', 'qa', '--dataset', qa, '--answers', answers, '--llm-url', chatty.url, '--llm-model', 'vlm', '--limit', '1', '--out', out, '--db', join(root, 'no-db')]);
    expect(cut.code).toBe(0);
    const stored = JSON.parse(readFileSync(join(out, 'replies.jsonl'), 'utf8').trim()) as { reply: string };
    expect(stored.reply).toMatch(/ … \[cut: the reply had 20020 characters\]$/);
    expect(stored.reply.length).toBeLessThan(8100);
    await chatty.close();
    const huge = await startChatServer(() => ({ raw: 'x'.repeat(17 * 1024 ** 2) }));
    close = huge.close;
    const refused = await vidlens(['eval', 'qa', '--dataset', qa, '--answers', answers, '--llm-url', huge.url, '--llm-model', 'vlm', '--limit', '1', '--out', join(root, 'huge'), '--db', join(root, 'no-db')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the reply is larger than 16 MiB; refused/);
  });
});
