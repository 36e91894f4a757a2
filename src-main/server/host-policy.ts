import os from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);
const PORT = /^\d{1,5}$/;

export interface HostPolicyOptions {
  /** The address the server listens on (`--host`). */
  listenHost: string;
  /** The port it actually listens on. */
  port: number;
  /** `--allowed-hosts`: LAN names or addresses, lower case, IPv6 without brackets. */
  allowedHosts: readonly string[];
  /** The machine's own addresses; asked only when listening on every interface. */
  interfaceAddresses?: () => string[];
}

interface HostAndPort {
  /** Lower case; IPv6 without brackets. */
  name: string;
  port: number | null;
}

/** Splits a `Host` header (or an origin's authority) into name and port; null when it is not well formed. */
export function parseHostHeader(value: string): HostAndPort | null {
  const text = value.trim().toLowerCase();
  let name: string;
  let rest: string;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return null;
    name = text.slice(1, end);
    rest = text.slice(end + 1);
  } else {
    const colon = text.indexOf(':');
    name = colon < 0 ? text : text.slice(0, colon);
    rest = colon < 0 ? '' : text.slice(colon);
  }
  if (name === '') return null;
  if (rest === '') return { name, port: null };
  const portText = rest.slice(1);
  if (!rest.startsWith(':') || !PORT.test(portText) || Number(portText) > 65535) return null;
  return { name, port: Number(portText) };
}

function ownInterfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address.toLowerCase())
    // A scoped (link-local) IPv6 address cannot be written in a Host header.
    .filter((address) => !address.includes('%'));
}

/**
 * Which `Host` and `Origin` values name this hub. A page on another site rebound to 127.0.0.1 (DNS rebinding) sends
 * its own name as `Host`, so refusing unknown names keeps it from being treated as the hub itself.
 */
export class HostPolicy {
  private readonly names: Set<string>;
  private readonly listensEverywhere: boolean;
  private readonly interfaceAddresses: () => string[];

  constructor(private readonly options: HostPolicyOptions) {
    const listenHost = options.listenHost.trim().toLowerCase();
    this.listensEverywhere = WILDCARD_HOSTS.has(listenHost);
    this.names = new Set([...LOOPBACK_NAMES, ...options.allowedHosts]);
    if (!this.listensEverywhere) this.names.add(listenHost.replace(/^\[(.*)\]$/, '$1'));
    this.interfaceAddresses = options.interfaceAddresses ?? ownInterfaceAddresses;
  }

  isAllowedHost(header: string | undefined): boolean {
    if (header === undefined) return false;
    const parsed = parseHostHeader(header);
    if (!parsed) return false;
    const portMatches = parsed.port === null ? this.options.port === 80 : parsed.port === this.options.port;
    return portMatches && this.isOwnName(parsed.name);
  }

  /** True for `http://<allowed host>`; false for `null`, other schemes, paths and anything unparsable. */
  isAllowedOrigin(origin: string): boolean {
    const match = /^http:\/\/([^/?#@\s]+)$/i.exec(origin);
    return match !== null && this.isAllowedHost(match[1]);
  }

  private isOwnName(name: string): boolean {
    if (this.names.has(name)) return true;
    return this.listensEverywhere && this.interfaceAddresses().includes(name);
  }
}
