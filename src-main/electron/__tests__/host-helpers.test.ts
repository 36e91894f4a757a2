import { describe, expect, it } from 'vitest';
import { hubArgs } from '../runtime-args';
import { SafeStorageCipher, safeStorageUnavailableReason } from '../safe-storage-cipher';

describe('hubArgs', () => {
  it('keeps only the hub options after the app path when run as `electron .`', () => {
    const argv = ['/opt/electron', '--inspect', '.', '--data-dir', '/tmp/d', '--host-rules=MAP * 127.0.0.1', '--port=9000', '--kiosk'];
    expect(hubArgs(argv, true)).toEqual(['--data-dir', '/tmp/d', '--port=9000']);
  });

  it('reads options straight after the executable in a packaged app', () => {
    expect(hubArgs(['/opt/Home Information', '--host', '0.0.0.0', '--no-sandbox'], false)).toEqual(['--host', '0.0.0.0']);
  });

  it('passes on the LAN host names the panel server may answer to', () => {
    expect(hubArgs(['/opt/hi', '--allowed-hosts', 'hub.lan,10.0.0.5', '--kiosk'], false)).toEqual(['--allowed-hosts', 'hub.lan,10.0.0.5']);
  });

  it('leaves a dangling option for readRuntimeConfig to refuse', () => {
    expect(hubArgs(['/opt/hi', '--data-dir', '--port', '1'], false)).toEqual(['--data-dir', '--port', '1']);
  });
});

describe('SafeStorageCipher', () => {
  // A reversible stand-in for the OS keychain: what matters here is the framing around it.
  const keychain = {
    encryptString: (plain: string) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ 0x5a)),
    decryptString: (sealed: Buffer) => Buffer.from([...sealed].map((b) => b ^ 0x5a)).toString('utf8'),
  };

  it('round-trips a secret and never stores it in the clear', () => {
    const cipher = new SafeStorageCipher(keychain);
    const stored = cipher.encrypt('long-lived-token-ü');
    expect(stored.startsWith('safestorage1:')).toBe(true);
    expect(stored).not.toContain('long-lived-token');
    expect(cipher.decrypt(stored)).toBe('long-lived-token-ü');
  });

  it('refuses a value written by another cipher', () => {
    expect(() => new SafeStorageCipher(keychain).decrypt('aesgcm1:AAAA')).toThrow('Not a secret written with safeStorage');
  });

  it('falls back to the key file when there is no real keychain', () => {
    const storage = (available: boolean, backend: 'basic_text' | 'gnome_libsecret') => ({
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend,
    });
    expect(safeStorageUnavailableReason(storage(false, 'gnome_libsecret'), 'linux')).toMatch(/unavailable/);
    expect(safeStorageUnavailableReason(storage(true, 'basic_text'), 'linux')).toMatch(/basic_text/);
    expect(safeStorageUnavailableReason(storage(true, 'gnome_libsecret'), 'linux')).toBeNull();
    expect(safeStorageUnavailableReason(storage(true, 'basic_text'), 'win32')).toBeNull();
  });
});
