/**
 * The HTML (else the text) of a MIME message as the outbox keeps it (Nodemailer's output:
 * multipart/alternative, quoted-printable or base64, UTF-8), to show the mail as it would arrive.
 */
export function mailBody(raw: string): { html: string | null; text: string | null } {
  const found = { html: null as string | null, text: null as string | null };
  walk(raw.replace(/\r\n/g, '\n'), found);
  return found;
}

function walk(part: string, found: { html: string | null; text: string | null }): void {
  const split = part.indexOf('\n\n');
  const head = split < 0 ? part : part.slice(0, split);
  const body = split < 0 ? '' : part.slice(split + 2);
  const headers = parseHeaders(head);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";\n]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const pieces = body.split(`--${boundary}`);
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      walk(piece.replace(/^\n/, ''), found);
    }
    return;
  }
  const decoded = decode(body, headers['content-transfer-encoding'] ?? '7bit');
  if (/^text\/html/i.test(type) && found.html === null) found.html = decoded;
  else if (/^text\/plain/i.test(type) && found.text === null) found.text = decoded;
}

function parseHeaders(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  // Folded lines continue the header above them.
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

function decode(body: string, encoding: string): string {
  const bytes = (() => {
    switch (encoding.toLowerCase()) {
      case 'base64': {
        const binary = atob(body.replace(/\s+/g, ''));
        return Uint8Array.from(binary, (c) => c.charCodeAt(0));
      }
      case 'quoted-printable': {
        const text = body.replace(/=\n/g, '');
        const out: number[] = [];
        for (let i = 0; i < text.length; i++) {
          const hex = text.slice(i + 1, i + 3);
          if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
            out.push(parseInt(hex, 16));
            i += 2;
          } else out.push(...new TextEncoder().encode(text[i]!));
        }
        return Uint8Array.from(out);
      }
      default:
        return new TextEncoder().encode(body);
    }
  })();
  return new TextDecoder('utf-8').decode(bytes);
}
