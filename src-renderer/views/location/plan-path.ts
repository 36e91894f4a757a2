import { round1, type Point } from './pan-zoom';

export interface Polyline {
  points: Point[];
  closed: boolean;
}

const TOKEN = /[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

/**
 * The vertices of a single path made only of straight segments (M L H V Z, absolute or relative); null when it has
 * curves, arcs or several sub-paths, which cannot be edited point by point.
 */
export function parsePolyline(d: string): Polyline | null {
  const tokens = d.match(TOKEN) ?? [];
  const points: Point[] = [];
  let command = '';
  let closed = false;
  let at: Point = { x: 0, y: 0 };
  let i = 0;
  const number = (): number | null => {
    const token = tokens[i];
    if (token === undefined || /[a-zA-Z]/.test(token)) return null;
    i += 1;
    return Number(token);
  };
  while (i < tokens.length) {
    if (closed) return null;
    const token = tokens[i]!;
    if (/[a-zA-Z]/.test(token)) {
      command = token;
      i += 1;
      if (command === 'z' || command === 'Z') {
        closed = true;
        continue;
      }
      if ((command === 'M' || command === 'm') && points.length > 0) return null;
    }
    const relative = command === command.toLowerCase();
    const base = relative ? at : { x: 0, y: 0 };
    switch (command.toUpperCase()) {
      case 'M':
      case 'L': {
        const x = number();
        const y = number();
        if (x === null || y === null) return null;
        at = { x: base.x + x, y: base.y + y };
        // Further pairs after a move are lines.
        if (command === 'M') command = 'L';
        if (command === 'm') command = 'l';
        break;
      }
      case 'H': {
        const x = number();
        if (x === null) return null;
        at = { x: base.x + x, y: at.y };
        break;
      }
      case 'V': {
        const y = number();
        if (y === null) return null;
        at = { x: at.x, y: base.y + y };
        break;
      }
      default:
        return null;
    }
    points.push(at);
  }
  return points.length >= 2 ? { points, closed } : null;
}

export function polylinePath(points: readonly Point[], closed: boolean): string {
  const parts = points.map((p, index) => `${index === 0 ? 'M' : 'L'} ${round1(p.x)} ${round1(p.y)}`);
  return closed ? `${parts.join(' ')} Z` : parts.join(' ');
}
