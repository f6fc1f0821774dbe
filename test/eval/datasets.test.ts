import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClipsJsonl } from '../../src/eval/datasets/clips.js';
import { loadEgoCross, parseOption } from '../../src/eval/datasets/egocross.js';
import { loadMsrvtt } from '../../src/eval/datasets/msrvtt.js';
import { tempDir } from '../helpers/tmp.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const dir = tempDir();

describe('MSR-VTT 1k-A loader', () => {
  it('reads the 1,000 test rows as whole-video clips with one caption each', async () => {
    const data = await loadMsrvtt(join(SHARED, 'msrvtt', 'MSRVTT_JSFUSION_test.csv'), '/videos');
    expect(data.clips).toHaveLength(1000);
    expect(data.clips[0]).toMatchObject({ video: '/videos/video9770.mp4', captions: ['a person is connecting something to system'], domain: 'msrvtt' });
    expect(new Set(data.clips.map((c) => c.video)).size).toBe(1000);
    expect((await loadMsrvtt(join(SHARED, 'msrvtt', 'MSRVTT_JSFUSION_test.csv'), '/videos', { limit: 3 })).clips).toHaveLength(3);
  });
});

describe('EgoCross loader', () => {
  const questions = join(SHARED, 'egocross', 'egocross_testbed_imgs.json');

  it('reads the 957 four-option questions over five source datasets and four categories', async () => {
    const items = await loadEgoCross(questions);
    expect(items).toHaveLength(957);
    expect(new Set(items.map((i) => i.primary_category))).toEqual(new Set(['Identification', 'Localization', 'Prediction', 'Counting']));
    for (const item of items) expect(item.options.map((o) => parseOption(o, 'x').letter)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('merges an answers file and refuses one whose ids do not match', async () => {
    const small = join(dir, 'q.json');
    writeFileSync(small, JSON.stringify([
      { id: 1, dataset: 'EgoPet', primary_category: 'Counting', question_text: 'How many?', options: ['A: 1', 'B: 2', 'C: 3', 'D: 4'], video_path: ['f0.jpg'] },
      { id: 2, dataset: 'EgoPet', primary_category: 'Prediction', question_text: 'What next?', options: ['A: sit', 'B: run', 'C: eat', 'D: jump'], video_path: ['f1.jpg'] },
    ]));
    const answers = join(dir, 'a.json');
    writeFileSync(answers, JSON.stringify([{ id: 1, correct_option_letter: 'B' }, { id: 2, correct_option_letter: 'D' }]));
    const items = await loadEgoCross(small, answers);
    expect(items.map((i) => i.answer?.correct_option_letter)).toEqual(['B', 'D']);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify([{ id: 1, correct_option_letter: 'B' }, { id: 7, correct_option_letter: 'A' }]));
    await expect(loadEgoCross(small, wrong)).rejects.toThrow(/wrong\.json: ids do not match .*no answer for 1 question\(s\) \(e\.g\. 2\); 1 answer\(s\) for unknown ids \(e\.g\. 7\)/);
  });

  it('refuses options that are not in "A: text" form', async () => {
    const bad = join(dir, 'bad-options.json');
    writeFileSync(bad, JSON.stringify([{ id: 5, dataset: 'X', primary_category: 'Counting', question_text: 'q', options: ['four', 'B: 2'], video_path: [] }]));
    await expect(loadEgoCross(bad)).rejects.toThrow(/bad-options\.json: item 5: option "four" is not in the form "A: text"/);
  });
});

describe('user JSONL loader', () => {
  it('resolves relative paths against the file and applies defaults', async () => {
    const path = join(dir, 'clips.jsonl');
    writeFileSync(path, `${JSON.stringify({ video: 'a.mp4', captions: ['x'] })}\n\n${JSON.stringify({ video: '/abs/b.mp4', start: 1, end: 2, labels: ['l'], domain: 'lab' })}\n`);
    const data = await loadClipsJsonl(path, { checkVideos: false });
    expect(data.clips).toEqual([
      { video: join(dir, 'a.mp4'), start: undefined, end: undefined, captions: ['x'], labels: [], domain: '', split: undefined, line: 1 },
      { video: '/abs/b.mp4', start: 1, end: 2, captions: [], labels: ['l'], domain: 'lab', split: undefined, line: 3 },
    ]);
    expect(data.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a UTF-8 byte-order mark, and refuses inputs that are not regular files', async () => {
    const path = join(dir, 'bom.jsonl');
    writeFileSync(path, `\uFEFF${JSON.stringify({ video: 'a.mp4', captions: ['x'] })}\n`);
    expect((await loadClipsJsonl(path, { checkVideos: false })).clips).toHaveLength(1);
    await expect(loadClipsJsonl('/dev/zero', { checkVideos: false })).rejects.toThrow('/dev/zero: not a regular file');
    await expect(loadClipsJsonl(dir, { checkVideos: false })).rejects.toThrow(`${dir}: not a regular file`);
  });

  it('warns of fields it does not read, with their lines and the field likely meant', async () => {
    const path = join(dir, 'misnamed.jsonl');
    const line = (i: number) => JSON.stringify({ video: 'a.mp4', start_time: i, end_time: i + 1, captions: ['x'], camera: 2 });
    writeFileSync(path, [1, 2, 3, 4].map(line).join('\n'));
    const data = await loadClipsJsonl(path, { checkVideos: false });
    expect(data.warnings).toEqual([
      `${path}: field "start_time" (lines 1, 2, 3, … (4 lines)) is not one vidlens reads and was ignored; did you mean "start"?`,
      `${path}: field "end_time" (lines 1, 2, 3, … (4 lines)) is not one vidlens reads and was ignored; did you mean "end"?`,
      `${path}: field "camera" (lines 1, 2, 3, … (4 lines)) is not one vidlens reads and was ignored`,
    ]);
    expect(data.clips[0].start).toBeUndefined();
  });

  it('refuses a runaway caption at its line instead of tokenising it', async () => {
    const path = join(dir, 'runaway.jsonl');
    writeFileSync(path, [{ video: 'a.mp4', captions: ['fine'] }, { video: 'b.mp4', captions: ['ok', 'x'.repeat(5_000_000)] }].map((c) => JSON.stringify(c)).join('\n'));
    await expect(loadClipsJsonl(path, { checkVideos: false })).rejects.toThrow(/runaway\.jsonl:2: captions\.1: a caption may have at most 4000 characters \(this one has 5000000\)/);
  });

  it('names the line of a field of the wrong type', async () => {
    const path = join(dir, 'types.jsonl');
    writeFileSync(path, `${JSON.stringify({ video: 'a.mp4', captions: 'not a list' })}\n`);
    await expect(loadClipsJsonl(path, { checkVideos: false })).rejects.toThrow(/types\.jsonl:1: captions: /);
  });
});
