const PREFIX = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 1000">\n';
const SUFFIX = '</svg>\n';

/**
 * The costliest floor plan an upload may carry: `elements` styled paths, just under the 10 MB file limit at
 * 300,000. The sanitiser checks every attribute of the first 50,000 before refusing the rest as too many.
 */
export function hugePlan(elements: number): Buffer {
  const lines = Array.from({ length: elements }, (_, i) => `<path style="fill:red" d="M${i % 10} 0"/>`);
  return Buffer.from(`${PREFIX}${lines.join('')}${SUFFIX}`, 'utf8');
}
