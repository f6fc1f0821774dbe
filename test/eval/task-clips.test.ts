import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecastBases, headlineLeads, loadForecastData } from '../../src/eval/forecast-data.js';
import { loadTrackingData } from '../../src/eval/tracking-data.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const video = join(dir, 'v.mp4');
writeFileSync(video, '');
const write = (name: string, lines: object[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
};

describe('task clips: tracking and forecast datasets', () => {
  it('reads tracking clips, all end points valid when "valid" is left out, without warnings for the task fields', async () => {
    const path = write('t.jsonl', [{ id: 'a', video: 'v.mp4', split: 'test', queries: [[0.1, 0.2]], endpoints: [[0.3, 0.4]] }]);
    const d = await loadTrackingData(path);
    expect(d.valid).toEqual([[true]]);
    expect(d.data.warnings).toEqual([]);
    expect(d.split('test')).toEqual([0]);
  });

  it('lists every line whose end points do not pair with its queries or whose points leave the frame', async () => {
    const path = write('bad.jsonl', [
      { id: 'a', video: 'v.mp4', queries: [[0.1, 0.2], [0.5, 0.5]], endpoints: [[0.3, 0.4]] },
      { id: 'b', video: 'v.mp4', queries: [[1.2, 0.2]], endpoints: [[0.3, 0.4]] },
    ]);
    await expect(loadTrackingData(path)).rejects.toThrow(/bad\.jsonl: 2 invalid line/);
    await expect(loadTrackingData(path)).rejects.toMatchObject({ message: expect.stringMatching(/bad\.jsonl:1:.*one end point per query point[\s\S]*bad\.jsonl:2: queries/) });
  });

  it('reads forecasts: numbers or vectors per step, the headline leads, and refuses anchoring on a clip without a history', async () => {
    const path = write('f.jsonl', [
      { id: 'a', video: 'v.mp4', history: [[0, 0], null], values: [[1, 1], [2, 2]] },
      { id: 'b', video: 'v.mp4', values: [[1, 1], [2, 2]] },
    ]);
    const d = await loadForecastData(path);
    expect([d.leadSteps, d.valueSize]).toEqual([2, 2]);
    expect(headlineLeads(d, undefined)).toEqual([0, 1]);
    expect(() => headlineLeads(d, [0, 5])).toThrow(/--leads 0,5: step 5 is beyond the dataset's 2 lead steps/);
    expect(Array.from(forecastBases(d, 'mean', path))).toEqual(new Array(8).fill(0));
    expect(() => forecastBases(d, 'last', path)).toThrow(/f\.jsonl:2: no observed "history" to anchor on; .*--anchor mean/);
    const uneven = write('u.jsonl', [{ video: 'v.mp4', values: [1, 2] }, { video: 'v.mp4', values: [1, 2, 3] }]);
    await expect(loadForecastData(uneven)).rejects.toThrow(/u\.jsonl:2: 3 lead steps of size 1, the first clip 2 of size 1/);
  });
});
