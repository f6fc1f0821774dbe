import { InvalidArgumentError } from 'commander';

/**
 * Commander value parsers whose errors say what the flag expects. Only plain decimal notation is
 * accepted (not `0x10`, not `1e3` for a count, not an empty string), and whole numbers are bounded so
 * that nothing downstream wraps or allocates without limit.
 */
const DECIMAL_INTEGER = /^\+?\d+$/;
const DECIMAL_NUMBER = /^\+?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** The largest whole number a count flag takes unless it says otherwise. */
export const MAX_COUNT = 2 ** 31 - 1;

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!DECIMAL_NUMBER.test(value.trim()) || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number.');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!DECIMAL_NUMBER.test(value.trim()) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number ≥ 0.');
  return n;
}

/** A parser for whole numbers in [min, max]. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!DECIMAL_INTEGER.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(max === MAX_COUNT ? `expected a whole number ≥ ${min}.` : `expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

export const positiveInteger = integerIn(1, MAX_COUNT);
export const nonNegativeInteger = integerIn(0, MAX_COUNT);

/** A comma-separated list of distinct whole numbers ≥ 0, e.g. `0,1,2,5,11`. */
export function nonNegativeIntegerList(value: string): number[] {
  const items = value.split(',').map((part) => part.trim());
  if (!items.every((part) => DECIMAL_INTEGER.test(part))) throw new InvalidArgumentError('expected whole numbers ≥ 0 separated by commas (e.g. 0,1,2,5,11).');
  const numbers = items.map((part) => nonNegativeInteger(part));
  if (new Set(numbers).size !== numbers.length) throw new InvalidArgumentError('expected each number once.');
  return numbers;
}
