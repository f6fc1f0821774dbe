import { describe, expect, it } from 'vitest';
import { closeQaScores, lenientPrediction, openQaScores, parseJudgeMark, strictCorrect, strictPrediction, substringMark } from '../../src/eval/metrics/qa.js';

describe('CloseQA scoring', () => {
  it('parses the JSON reply strictly, or the first {...} inside text', () => {
    expect(strictPrediction('{"prediction": "b", "reason": "the cup"}')).toBe('b');
    expect(strictPrediction('Sure! {"prediction":"C","reason":"x"} hope it helps')).toBe('C');
    expect(strictPrediction('B')).toBeUndefined();
    expect(strictPrediction('{"answer": "B"}')).toBeUndefined();
  });

  it('is correct only for the key, case-insensitively; unparseable replies are wrong', () => {
    expect(strictCorrect('{"prediction": "b"}', 'B')).toBe(true);
    expect(strictCorrect('{"prediction": "A"}', 'B')).toBe(false);
    expect(strictCorrect('The answer is B.', 'B')).toBe(false);
  });

  it('extracts a letter leniently from common answer shapes', () => {
    expect(lenientPrediction('The answer is (C).')).toBe('C');
    expect(lenientPrediction('Answer: d')).toBe('D');
    expect(lenientPrediction('B. Because the worker turns left')).toBe('B');
    expect(lenientPrediction('A')).toBe('A');
    expect(lenientPrediction('I think A or B')).toBe('A');
    expect(lenientPrediction('Because nothing fits')).toBeUndefined();
  });

  it('reports strict and lenient accuracy with counts', () => {
    const s = closeQaScores([
      { reply: '{"prediction": "A"}', key: 'A' },
      { reply: 'Answer: B', key: 'B' },
      { reply: 'no idea', key: 'C' },
      { reply: '{"prediction": "D"}', key: 'C' },
    ]);
    expect(s.strict).toEqual({ accuracy: 25, correct: 1, n: 4 });
    expect(s.lenient).toEqual({ accuracy: 50, correct: 2, n: 4 });
  });
});

describe('OpenQA scoring', () => {
  it('gives 5 when the reference is a case-insensitive substring, else leaves it to the judge', () => {
    expect(substringMark('There are Three cups on the table', 'three cups')).toBe(5);
    expect(substringMark('two cups', 'three cups')).toBeUndefined();
  });

  it('parses {"mark": N} from a judge reply and rejects anything else', () => {
    expect(parseJudgeMark('{"mark": 4}')).toBe(4);
    expect(parseJudgeMark('Mark: {"mark": "3"}')).toBe(3);
    expect(parseJudgeMark('{"mark": 9}')).toBeUndefined();
    expect(parseJudgeMark('four')).toBeUndefined();
  });

  it('counts mark ≥ 4 as correct', () => {
    expect(openQaScores([5, 4, 3, 0])).toEqual({ accuracy: 50, mean_mark: 3, n: 4 });
  });
});
