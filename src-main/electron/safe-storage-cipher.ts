import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../store/secret-cipher';

const PREFIX = 'safestorage1:';

/** Seals secrets with the OS keychain (Keychain, DPAPI, libsecret, KWallet) through Electron's safeStorage. */
export class SafeStorageCipher implements SecretCipher {
  constructor(private readonly storage: Pick<SafeStorage, 'encryptString' | 'decryptString'>) {}

  encrypt(plain: string): string {
    return PREFIX + this.storage.encryptString(plain).toString('base64');
  }

  decrypt(stored: string): string {
    if (!stored.startsWith(PREFIX)) throw new Error('Not a secret written with safeStorage.');
    return this.storage.decryptString(Buffer.from(stored.slice(PREFIX.length), 'base64'));
  }
}

/**
 * Why safeStorage cannot protect secrets here, or null when it can. Linux's `basic_text` backend (no keyring) encrypts
 * with a key built into Chromium, which is weaker than the hub's own key file.
 */
export function safeStorageUnavailableReason(
  storage: Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend'>,
  platform: NodeJS.Platform,
): string | null {
  if (!storage.isEncryptionAvailable()) return 'safeStorage reports that encryption is unavailable';
  if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') return 'no OS keyring was found (safeStorage backend basic_text)';
  return null;
}
