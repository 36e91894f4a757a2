import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema';
import { LOCATIONS_DIR } from '../location/location-manager';
import { FILES_DIR, THUMBNAILS_DIR } from './file-store';

/**
 * Removes stored plans, attachments and thumbnails that no row refers to any more (a replaced plan after its undo
 * window, a rolled-back upload), once they are older than `minAgeMs`. Answers how many were removed.
 */
export async function removeOrphanFiles(db: Kysely<Database>, dataDir: string, now: number, minAgeMs: number): Promise<number> {
  const referenced = new Set<string>();
  const add = (names: Array<{ name: string | null }>) => names.forEach((row) => row.name && referenced.add(row.name));
  add(await db.selectFrom('location').select('svg_filename as name').execute());
  for (const table of ['entity_attribute', 'location_attribute', 'entity_attribute_history', 'location_attribute_history'] as const) {
    add(await db.selectFrom(table).select('file_name as name').where('file_name', 'is not', null).execute());
  }
  const thumbnailOwner = (thumbnail: string) => [...referenced].some((name) => path.parse(name).name === path.parse(thumbnail).name);
  let removed = 0;
  const sweep = (dir: string, isReferenced: (name: string) => boolean) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const stat = statSync(file);
      if (!stat.isFile() || now - stat.mtimeMs < minAgeMs || isReferenced(name)) continue;
      rmSync(file, { force: true });
      removed += 1;
    }
  };
  sweep(path.join(dataDir, LOCATIONS_DIR), (name) => referenced.has(name));
  sweep(path.join(dataDir, FILES_DIR), (name) => referenced.has(name));
  sweep(path.join(dataDir, FILES_DIR, THUMBNAILS_DIR), thumbnailOwner);
  return removed;
}
