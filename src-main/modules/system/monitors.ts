import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { MonitorSpec } from '../../monitor/periodic-monitor';
import type { Database } from '../../store/schema';
import { removeOrphanFiles } from '../attribute/orphan-files';
import { pruneHistory } from '../config/models';

export const SETTING_HISTORY_KEPT_PER_SETTING = 50;

export interface SystemMonitorDeps {
  db: Kysely<Database>;
  sqlite: BetterSqlite3.Database;
  dataDir: string;
  timezone: () => string;
  /** While someone edits, an undo may still need a plan that no row refers to. */
  isEditing: () => boolean;
  now: () => number;
}

/** Unreferenced files younger than this are left alone: an upload may be on its way to being referenced. */
const ORPHAN_MIN_AGE_MS = 24 * 3_600_000;

export function systemMonitors({ db, sqlite, dataDir, timezone, isEditing, now }: SystemMonitorDeps): MonitorSpec[] {
  return [
    {
      name: 'system.store_maintenance',
      label: 'Database upkeep',
      // Keeps the WAL file from growing on a panel that runs for months, and refreshes the planner's statistics.
      schedule: { kind: 'interval', intervalMs: 60 * 60_000 },
      timeoutMs: 60_000,
      doWork: async () => {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
        sqlite.pragma('optimize');
      },
    },
    {
      name: 'system.history_cleanup',
      label: 'Nightly history clean-up',
      schedule: { kind: 'calendar', rule: '15 3 * * *', timezone },
      timeoutMs: 5 * 60_000,
      doWork: async () => {
        await pruneHistory(db, SETTING_HISTORY_KEPT_PER_SETTING);
      },
    },
    {
      name: 'system.orphan_file_cleanup',
      label: 'Nightly file clean-up',
      schedule: { kind: 'calendar', rule: '45 3 * * *', timezone },
      timeoutMs: 5 * 60_000,
      doWork: async () => {
        if (!isEditing()) await removeOrphanFiles(db, dataDir, now(), ORPHAN_MIN_AGE_MS);
      },
    },
  ];
}
