import { isIP } from 'node:net';
import type { RuntimeConfigEntry } from '../src-shared/model/system';

type Source = RuntimeConfigEntry['source'];

export const DEFAULT_PANEL_PORT = 8411;
export const DEFAULT_PANEL_HOST = '127.0.0.1';

/** What the process was started with: command line and environment, before any setting. */
export interface RuntimeConfig {
  readonly version: string;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** LAN host names or addresses that panels may use to reach the hub (lower case, IPv6 without brackets). */
  readonly allowedHosts: readonly string[];
  readonly suppressMonitors: boolean;
  readonly suppressSelectRequestEndpointsLogging: boolean;
  readonly baseUrlForEmailLinks: string | null;
  /** HI_CLOCK_START: the hub's clock starts at this instant (epoch ms) and runs on from there; for demos and tests. */
  readonly clockStart: number | null;
  /** Where each value came from, for the internal page. */
  readonly sources: Readonly<Record<string, Source>>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const truthy = (value: string | undefined): boolean => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

function optionValue(argv: readonly string[], name: string): string | undefined {
  const index = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (index < 0) return undefined;
  const arg = argv[index]!;
  const value = arg.includes('=') ? arg.slice(name.length + 1) : argv[index + 1];
  if (value === undefined || value.trim() === '' || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

const KNOWN_OPTIONS = ['--data-dir', '--host', '--port', '--allowed-hosts'];

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** `a,b`: host names or IP addresses (an IPv6 address with or without brackets), no ports or schemes. */
export function parseAllowedHosts(text: string): string[] {
  const hosts: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const unbracketed = entry.startsWith('[') && entry.endsWith(']') ? entry.slice(1, -1) : entry;
    if (isIP(unbracketed) === 0 && !HOST_NAME.test(entry)) {
      throw new UsageError(`--allowed-hosts: '${raw.trim()}' is not a host name or IP address`);
    }
    if (!hosts.includes(unbracketed)) hosts.push(unbracketed);
  }
  return hosts;
}

/** Reads `--data-dir`, `--host`, `--port`, `--allowed-hosts` and the HI_* environment switches. */
export function readRuntimeConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaults: { dataDir: string; version: string },
): RuntimeConfig {
  for (const arg of argv) {
    if (arg.startsWith('--') && !KNOWN_OPTIONS.includes(arg.split('=')[0]!)) throw new UsageError(`Unknown option ${arg}`);
  }
  const sources: Record<string, Source> = {};
  const pick = (key: string, cli: string | undefined, envValue: string | undefined, fallback: string): string => {
    if (cli !== undefined) return (sources[key] = 'command line'), cli;
    if (envValue !== undefined && envValue !== '') return (sources[key] = 'environment'), envValue;
    return (sources[key] = 'built in'), fallback;
  };
  const dataDir = pick('dataDir', optionValue(argv, '--data-dir'), env.HI_DATA_DIR, defaults.dataDir);
  const host = pick('host', optionValue(argv, '--host'), env.HI_HOST, DEFAULT_PANEL_HOST);
  const portText = pick('port', optionValue(argv, '--port'), env.HI_PORT, String(DEFAULT_PANEL_PORT));
  const port = /^\d+$/.test(portText.trim()) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be 0 to 65535, not '${portText}'`);
  const allowedHosts = parseAllowedHosts(pick('allowedHosts', optionValue(argv, '--allowed-hosts'), env.HI_ALLOWED_HOSTS, ''));
  const flag = (key: string, envName: string): boolean => {
    sources[key] = env[envName] === undefined ? 'built in' : 'environment';
    return truthy(env[envName]);
  };
  const baseUrl = env.HI_BASE_URL_FOR_EMAIL_LINKS?.trim() || null;
  if (baseUrl !== null && !/^https?:\/\/[^\s]+$/.test(baseUrl)) throw new UsageError('HI_BASE_URL_FOR_EMAIL_LINKS must be an http(s) URL');
  sources.baseUrlForEmailLinks = baseUrl === null ? 'built in' : 'environment';
  const clockText = env.HI_CLOCK_START?.trim() || null;
  // A zone is required: a bare local time would mean something different on every machine.
  const clockStart = clockText === null ? null : /(Z|[+-]\d\d:\d\d)$/.test(clockText) ? Date.parse(clockText) : NaN;
  if (clockStart !== null && !Number.isFinite(clockStart)) throw new UsageError(`HI_CLOCK_START must be an ISO 8601 time with a zone, such as 2026-12-01T21:59:50-06:00, not '${clockText}'`);
  sources.clockStart = clockStart === null ? 'built in' : 'environment';
  sources.version = 'built in';
  return {
    version: defaults.version,
    dataDir,
    host,
    port,
    allowedHosts,
    suppressMonitors: flag('suppressMonitors', 'HI_SUPPRESS_MONITORS'),
    suppressSelectRequestEndpointsLogging: flag('suppressSelectRequestEndpointsLogging', 'HI_SUPPRESS_SELECT_REQUEST_ENDPOINTS_LOGGING'),
    baseUrlForEmailLinks: baseUrl,
    clockStart,
    sources,
  };
}
