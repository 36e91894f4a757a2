/** The location view a `#/view/<id>` address opens, or null for any other address. */
export function viewIdOfHash(hash: string): number | null {
  const match = /^#\/view\/(\d+)$/.exec(hash);
  return match ? Number(match[1]) : null;
}
