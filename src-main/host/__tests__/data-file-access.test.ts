import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_FILE_CSP, resolveDataFile } from '../data-file-access';

const DATA_DIR = '/srv/hi-data';

describe('resolveDataFile', () => {
  it('serves files in the three readable folders, with their content type', () => {
    expect(resolveDataFile(DATA_DIR, 'locations/plan-1.svg')).toEqual({
      file: path.join(DATA_DIR, 'locations', 'plan-1.svg'),
      contentType: 'image/svg+xml',
      csp: DATA_FILE_CSP,
    });
    expect(resolveDataFile(DATA_DIR, 'files/manual.pdf')?.contentType).toBe('application/pdf');
    expect(resolveDataFile(DATA_DIR, 'files/thumbnails/photo.webp')).toEqual({
      file: path.join(DATA_DIR, 'files', 'thumbnails', 'photo.webp'),
      contentType: 'image/webp',
      csp: DATA_FILE_CSP,
    });
    const types = ['a.png', 'a.jpg', 'a.JPEG', 'a.gif', 'a.txt'].map((name) => resolveDataFile(DATA_DIR, `files/${name}`)?.contentType);
    expect(types).toEqual(['image/png', 'image/jpeg', 'image/jpeg', 'image/gif', 'text/plain; charset=utf-8']);
  });

  it('sandboxes everything but PDFs, whose viewer cannot run sandboxed', () => {
    expect(resolveDataFile(DATA_DIR, 'files/manual.pdf')?.csp).toBeNull();
    for (const name of ['files/a.png', 'files/a.txt', 'locations/p.svg', 'files/thumbnails/t.webp']) {
      const csp = resolveDataFile(DATA_DIR, name)?.csp ?? '';
      expect(csp, name).toMatch(/(^|;\s*)sandbox(;|$)/);
      expect(csp, name).toContain("default-src 'none'");
    }
  });

  it('refuses other folders, traversal, hidden and odd names, and unknown types', () => {
    const refused = [
      'secret.key',
      'home-information.sqlite',
      '../secret.key',
      'files/../secret.key',
      'files/../../etc/passwd',
      'locations/../files/a.png',
      'uploads/abc',
      'files/nested/deep.txt',
      'files/thumbnails/../a.png',
      'files/.hidden.png',
      'files/a b.png',
      'files/a\u0000.png',
      'files/',
      'files',
      '/files/a.png',
      'files\\a.png',
      'files/a.html',
      'files/a.svgz',
      'files/a.js',
      'files/noextension',
    ];
    for (const relative of refused) expect(resolveDataFile(DATA_DIR, relative), JSON.stringify(relative)).toBeNull();
  });
});
