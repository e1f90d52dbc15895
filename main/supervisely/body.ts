// Reading an answer's body with a size cap while it streams (issue 13.6): memory stays bounded by the
// cap, and an answer over it is cancelled at the first chunk past it, never read whole.

/** Thrown when an answer is over its cap; the transport turns it into a too_large ApiError. */
export class AnswerTooLarge extends Error {
  constructor(
    readonly maxBytes: number,
    readonly declaredBytes: number | null,
  ) {
    super(`the answer was too large (over ${formatBytes(maxBytes)})`);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
  if (n >= 1024) return `${(n / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} KB`;
  return `${n} bytes`;
}

/** The body of `res` as bytes, at most `maxBytes` of them; over that, AnswerTooLarge (and the download stops). */
export async function readBodyCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number.parseInt(res.headers.get('content-length') ?? '', 10);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new AnswerTooLarge(maxBytes, declared);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLarge(maxBytes, Number.isFinite(declared) ? declared : null);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The body of `res` as UTF-8 text, capped like readBodyCapped. */
export async function readTextCapped(res: Response, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBodyCapped(res, maxBytes));
}
