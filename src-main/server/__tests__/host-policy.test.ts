import { describe, expect, it } from 'vitest';
import { HostPolicy, parseHostHeader } from '../host-policy';

describe('parseHostHeader', () => {
  it('splits names, IPv6 literals and ports', () => {
    expect(parseHostHeader('LocalHost:8411')).toEqual({ name: 'localhost', port: 8411 });
    expect(parseHostHeader('[::1]:8411')).toEqual({ name: '::1', port: 8411 });
    expect(parseHostHeader('hub.lan')).toEqual({ name: 'hub.lan', port: null });
    for (const bad of ['', ':8411', 'hub:', 'hub:84x', 'hub:99999', '::1', '[::1', '[::1]x', 'a:1:2']) {
      expect(parseHostHeader(bad), bad).toBeNull();
    }
  });
});

describe('HostPolicy', () => {
  const loopbackOnly = new HostPolicy({ listenHost: '127.0.0.1', port: 8411, allowedHosts: [], interfaceAddresses: () => ['192.168.1.5'] });

  it('accepts the loopback names with the listening port only', () => {
    for (const host of ['localhost:8411', '127.0.0.1:8411', '[::1]:8411', 'LOCALHOST:8411']) expect(loopbackOnly.isAllowedHost(host), host).toBe(true);
    for (const host of ['localhost', '127.0.0.1:80', 'localhost:8412', 'evil.example:8411', 'localhost.:8411', '127.0.0.2:8411', undefined]) {
      expect(loopbackOnly.isAllowedHost(host), String(host)).toBe(false);
    }
  });

  it('accepts a name without a port only when listening on port 80', () => {
    const onPort80 = new HostPolicy({ listenHost: '127.0.0.1', port: 80, allowedHosts: ['hub.lan'] });
    expect(onPort80.isAllowedHost('localhost')).toBe(true);
    expect(onPort80.isAllowedHost('hub.lan')).toBe(true);
    expect(onPort80.isAllowedHost('hub.lan:80')).toBe(true);
    expect(onPort80.isAllowedHost('hub.lan:8080')).toBe(false);
  });

  it('accepts the --host address and the configured names, but not interface addresses unless listening everywhere', () => {
    const lan = new HostPolicy({ listenHost: '192.168.1.5', port: 8411, allowedHosts: ['hub.lan', 'fd00::5'], interfaceAddresses: () => ['10.0.0.7'] });
    for (const host of ['192.168.1.5:8411', 'hub.lan:8411', 'HUB.LAN:8411', '[fd00::5]:8411']) expect(lan.isAllowedHost(host), host).toBe(true);
    expect(lan.isAllowedHost('10.0.0.7:8411')).toBe(false);

    const everywhere = new HostPolicy({ listenHost: '0.0.0.0', port: 8411, allowedHosts: [], interfaceAddresses: () => ['10.0.0.7', 'fe80::1'] });
    expect(everywhere.isAllowedHost('10.0.0.7:8411')).toBe(true);
    expect(everywhere.isAllowedHost('[fe80::1]:8411')).toBe(true);
    expect(everywhere.isAllowedHost('0.0.0.0:8411')).toBe(false);
    expect(everywhere.isAllowedHost('rebound.example:8411')).toBe(false);
  });

  it('accepts only http origins of allowed hosts, refusing null and garbage without throwing', () => {
    expect(loopbackOnly.isAllowedOrigin('http://127.0.0.1:8411')).toBe(true);
    expect(loopbackOnly.isAllowedOrigin('http://localhost:8411')).toBe(true);
    for (const origin of ['null', '', 'garbage', 'http://evil.example:8411', 'https://127.0.0.1:8411', 'http://127.0.0.1:8411/path', 'http://user@127.0.0.1:8411', 'http://127.0.0.1', 'file://', 'http://127.0.0.1:8411 ']) {
      expect(loopbackOnly.isAllowedOrigin(origin), origin).toBe(false);
    }
  });
});
