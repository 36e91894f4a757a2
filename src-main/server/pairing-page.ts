const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain form, no script: a tablet that is not yet paired must be able to use it under the strict CSP. */
export function pairingPage(message: string | null): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pair this panel — Home Information</title>
<link rel="stylesheet" href="/pair.css">
</head>
<body>
<main class="pair">
<h1>Pair this panel</h1>
<p>Enter the pairing code shown on the hub under Settings → System.</p>
<form method="post" action="/pair">
<label for="code">Pairing code</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required autofocus data-testid="pairing-input">
<button type="submit" data-testid="pairing-submit">Pair</button>
</form>
${message ? `<p class="error" role="alert" data-testid="pairing-error">${escapeHtml(message)}</p>` : ''}
</main>
</body>
</html>`;
}

export const PAIRING_CSS = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2430;margin:0}
.pair{max-width:28rem;margin:10vh auto;padding:2rem;background:#fff;border-radius:12px}
form{display:flex;flex-direction:column;gap:.75rem}
input,button{font-size:1.5rem;min-height:48px;padding:0 .75rem}
.error{color:#b3261e}`;
