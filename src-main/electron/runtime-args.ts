const HUB_OPTIONS = ['--data-dir', '--host', '--port', '--allowed-hosts'];

/**
 * Electron's argv holds its own path, the app path (when run as `electron .`) and Chromium switches such as
 * `--host-rules`: keep only the hub's options after the app path, with their values, for `readRuntimeConfig`.
 */
export function hubArgs(argv: readonly string[], defaultApp: boolean): string[] {
  const appPathIndex = defaultApp ? argv.findIndex((arg, i) => i > 0 && !arg.startsWith('-')) : 0;
  const picked: string[] = [];
  for (let i = Math.max(appPathIndex, 0) + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const option = HUB_OPTIONS.find((name) => arg === name || arg.startsWith(`${name}=`));
    if (option === undefined) continue;
    picked.push(arg);
    const next = argv[i + 1];
    if (arg === option && next !== undefined && !next.startsWith('--')) picked.push(argv[++i]!);
  }
  return picked;
}
