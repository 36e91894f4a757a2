import { isNoValue } from '../../../src-shared/model/history';

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * What a stored value means to a numeric chart: a number, `null` for no value (a gap), or `undefined` for text that
 * is neither (skipped: the value held before it goes on).
 */
export function readNumeric(value: string | null): number | null | undefined {
  if (isNoValue(value)) return null;
  const text = value!.trim();
  if (!DECIMAL.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}
