import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost parameters as stored beside a hash. */
export interface ScryptCost {
  cost: number;
  blockSize: number;
  parallelization: number;
}

export interface PinHash extends ScryptCost {
  hash: Buffer;
  salt: Buffer;
}

/** N = 2^15, r = 8: 32 MiB and tens of milliseconds per PIN, off the event loop (libuv's pool). */
export const PIN_SCRYPT_COST: ScryptCost = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(pin: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: cost.cost,
    r: cost.blockSize,
    p: cost.parallelization,
    // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly that, with no room to spare.
    maxmem: 256 * cost.cost * cost.blockSize,
  };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A fresh salt and the scrypt hash of `pin`: the only form in which a PIN is kept. */
export async function hashPin(pin: string, cost: ScryptCost = PIN_SCRYPT_COST): Promise<PinHash> {
  const salt = randomBytes(SALT_BYTES);
  return { ...cost, salt, hash: await derive(pin, salt, cost) };
}

/** Whether `pin` hashes to `stored`, compared in constant time. */
export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const candidate = await derive(pin, stored.salt, stored);
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}
