import { describe, expect, it } from 'vitest';
import { DEFAULT_PANEL_HOST, DEFAULT_PANEL_PORT, parseAllowedHosts, readRuntimeConfig, UsageError } from '../runtime-config';

const defaults = { dataDir: '/default/data', version: '1.2.3' };
const read = (argv: string[] = [], env: Record<string, string | undefined> = {}) => readRuntimeConfig(argv, env, defaults);

describe('readRuntimeConfig', () => {
  it('falls back to built-in values', () => {
    const config = read();
    expect(config).toMatchObject({
      version: '1.2.3',
      dataDir: '/default/data',
      host: DEFAULT_PANEL_HOST,
      port: DEFAULT_PANEL_PORT,
      suppressMonitors: false,
      suppressSelectRequestEndpointsLogging: false,
      baseUrlForEmailLinks: null,
      allowedHosts: [],
      clockStart: null,
    });
    for (const key of ['version', 'dataDir', 'host', 'port', 'allowedHosts', 'suppressMonitors', 'suppressSelectRequestEndpointsLogging', 'baseUrlForEmailLinks', 'clockStart']) {
      expect(config.sources[key], key).toBe('built in');
    }
  });

  it('reads --data-dir in both forms', () => {
    expect(read(['--data-dir', '/srv/hi']).dataDir).toBe('/srv/hi');
    expect(read(['--data-dir=/srv/hi2']).dataDir).toBe('/srv/hi2');
    expect(read(['--data-dir', '/srv/hi']).sources.dataDir).toBe('command line');
  });

  it('reads --port= and --port, and --host', () => {
    const config = read(['--port=9000', '--host', '0.0.0.0']);
    expect(config.port).toBe(9000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.sources.port).toBe('command line');
    expect(config.sources.host).toBe('command line');
    expect(read(['--port', '0']).port).toBe(0);
    expect(read(['--port', '65535']).port).toBe(65535);
  });

  it('ignores arguments that are not options', () => {
    expect(read(['.', '--port=9001']).port).toBe(9001);
  });

  it('reads the environment, with the command line taking precedence', () => {
    const env = { HI_DATA_DIR: '/env/data', HI_PORT: '9100', HI_HOST: '192.168.1.2' };
    const fromEnv = read([], env);
    expect(fromEnv).toMatchObject({ dataDir: '/env/data', port: 9100, host: '192.168.1.2' });
    expect(fromEnv.sources).toMatchObject({ dataDir: 'environment', port: 'environment', host: 'environment' });

    const both = read(['--data-dir', '/cli/data'], env);
    expect(both.dataDir).toBe('/cli/data');
    expect(both.sources.dataDir).toBe('command line');
    expect(both.sources.port).toBe('environment');
  });

  it('treats an empty environment variable as unset', () => {
    const config = read([], { HI_DATA_DIR: '' });
    expect(config.dataDir).toBe('/default/data');
    expect(config.sources.dataDir).toBe('built in');
  });

  it('reads the HI_SUPPRESS_* switches', () => {
    for (const on of ['1', 'true', 'YES', ' on ']) {
      const config = read([], { HI_SUPPRESS_MONITORS: on, HI_SUPPRESS_SELECT_REQUEST_ENDPOINTS_LOGGING: on });
      expect(config.suppressMonitors, on).toBe(true);
      expect(config.suppressSelectRequestEndpointsLogging, on).toBe(true);
      expect(config.sources.suppressMonitors).toBe('environment');
    }
    for (const off of ['0', 'false', 'no', '']) {
      const config = read([], { HI_SUPPRESS_MONITORS: off });
      expect(config.suppressMonitors, JSON.stringify(off)).toBe(false);
      expect(config.sources.suppressMonitors).toBe('environment');
    }
  });

  it('validates HI_BASE_URL_FOR_EMAIL_LINKS', () => {
    const config = read([], { HI_BASE_URL_FOR_EMAIL_LINKS: ' https://home.example.com/hi ' });
    expect(config.baseUrlForEmailLinks).toBe('https://home.example.com/hi');
    expect(config.sources.baseUrlForEmailLinks).toBe('environment');
    expect(read([], { HI_BASE_URL_FOR_EMAIL_LINKS: 'http://192.168.1.5:8411' }).baseUrlForEmailLinks).toBe('http://192.168.1.5:8411');
    expect(read([], { HI_BASE_URL_FOR_EMAIL_LINKS: '   ' }).baseUrlForEmailLinks).toBeNull();
    for (const bad of ['ftp://example.com', 'example.com', 'https://', 'https://exa mple.com']) {
      expect(() => read([], { HI_BASE_URL_FOR_EMAIL_LINKS: bad }), bad).toThrow(UsageError);
    }
  });

  it('reads HI_CLOCK_START only with a zone', () => {
    const config = read([], { HI_CLOCK_START: '2026-12-01T21:59:50-06:00' });
    expect(config.clockStart).toBe(Date.UTC(2026, 11, 2, 3, 59, 50));
    expect(config.sources.clockStart).toBe('environment');
    expect(read([], { HI_CLOCK_START: '2026-12-01T21:59:50Z' }).clockStart).toBe(Date.UTC(2026, 11, 1, 21, 59, 50));
    for (const bad of ['2026-12-01T21:59:50', 'tomorrow', '2026-13-01T00:00:00Z']) {
      expect(() => read([], { HI_CLOCK_START: bad }), bad).toThrow(/HI_CLOCK_START/);
    }
  });

  it('refuses unknown options', () => {
    expect(() => read(['--nope'])).toThrow(UsageError);
    expect(() => read(['--data-directory=/x'])).toThrow(/Unknown option --data-directory=\/x/);
  });

  it('refuses an option without its value', () => {
    expect(() => read(['--data-dir'])).toThrow(UsageError);
    expect(() => read(['--data-dir', '--port=1'])).toThrow(/--data-dir needs a value/);
  });

  it('refuses a port out of range or not a whole number', () => {
    for (const bad of ['65536', '-1', '80.5', 'http', '1e9']) {
      expect(() => read([`--port=${bad}`]), bad).toThrow(UsageError);
    }
    expect(() => read([], { HI_PORT: '70000' })).toThrow(/--port must be 0 to 65535/);
  });

  it('refuses an empty or blank port rather than reading it as port 0', () => {
    expect(() => read(['--port='])).toThrow(UsageError);
    expect(() => read([], { HI_PORT: ' ' })).toThrow(UsageError);
  });

  it('refuses an empty --data-dir= rather than using an empty path', () => {
    expect(() => read(['--data-dir='])).toThrow(UsageError);
  });

  it('reads --allowed-hosts and HI_ALLOWED_HOSTS as lower-case names and addresses', () => {
    const config = read(['--allowed-hosts', 'Hub.LAN, 192.168.1.5,[fd00::5],,hub.lan']);
    expect(config.allowedHosts).toEqual(['hub.lan', '192.168.1.5', 'fd00::5']);
    expect(config.sources.allowedHosts).toBe('command line');
    const fromEnv = read([], { HI_ALLOWED_HOSTS: 'kitchen-hub' });
    expect(fromEnv.allowedHosts).toEqual(['kitchen-hub']);
    expect(fromEnv.sources.allowedHosts).toBe('environment');
    expect(read(['--allowed-hosts=a.b'], { HI_ALLOWED_HOSTS: 'c.d' }).allowedHosts).toEqual(['a.b']);
  });

  it('refuses allowed hosts with ports, schemes, paths or wildcards', () => {
    for (const bad of ['hub.lan:8411', 'http://hub.lan', 'hub.lan/x', '*.lan', '-hub', 'hub_lan', '[::1']) {
      expect(() => parseAllowedHosts(bad), bad).toThrow(UsageError);
    }
    expect(() => read(['--allowed-hosts', 'a b'])).toThrow(/--allowed-hosts: 'a b'/);
  });
});
