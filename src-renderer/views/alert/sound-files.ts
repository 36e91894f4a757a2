// Built into hashed asset names: the panel server caches static files for a year, so a changed sound must get a
// new address.
const files = import.meta.glob<string>('../../assets/sounds/*.wav', { eager: true, query: '?url', import: 'default' });

const urls = new Map(Object.entries(files).map(([file, url]) => [file.slice(file.lastIndexOf('/') + 1, -'.wav'.length), url]));

/** The address of a generated sound by its name, or undefined for a name with no file. */
export function soundUrl(name: string): string | undefined {
  return urls.get(name);
}
