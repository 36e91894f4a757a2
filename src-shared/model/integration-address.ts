/** The result of reading an address typed into an integration's url field. */
export type AddressReading = { ok: true; url: string } | { ok: false; message: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * An address as typed (`192.168.1.20:8123`, `homeassistant.local:8123`, `https://ha.example`) as an http(s) URL:
 * without a scheme, http:// is assumed, as a browser's address bar does. Empty stays empty (not set).
 */
export function readAddress(typed: string): AddressReading {
  const text = typed.trim();
  if (text === '') return { ok: true, url: '' };
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return { ok: false, message: `"${clip(text)}" starts with ${scheme}://; the address must be http:// or https://.` };
  }
  const url = scheme === undefined ? `http://${text}` : text;
  if (!/\s/.test(url)) {
    try {
      const parsed = new URL(url);
      if (parsed.hostname !== '') return { ok: true, url };
    } catch {
      // Not an address: said below.
    }
  }
  return { ok: false, message: `"${clip(text)}" is not an address. Write it as host:port, e.g. 192.168.1.20:8123 or http://homeassistant.local:8123.` };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
