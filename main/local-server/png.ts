// A tiny deterministic PNG encoder (node:zlib) and the preview pictures the local server serves for
// its images: a fruit-coloured disc on a light background, derived from the image id and name.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes an 8-bit RGB image; `pixel` returns [r, g, b] for each coordinate. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let o = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[o++] = r;
      raw[o++] = g;
      raw[o++] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const FRUIT: [number, number, number][] = [
  [245, 210, 40], // lemon
  [120, 170, 50], // kiwi
  [235, 150, 40],
  [200, 60, 60],
];

/** 64×48 preview of an image: deterministic for (id, name). */
export function previewPng(id: number, name: string): Buffer {
  let h = id;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const fruit = FRUIT[h % FRUIT.length]!;
  const cx = 20 + (h % 24),
    cy = 18 + ((h >>> 5) % 12),
    r = 12 + ((h >>> 9) % 6);
  return encodePng(64, 48, (x, y) => {
    const d = (x - cx) ** 2 + (y - cy) ** 2;
    if (d <= r * r)
      return d > (r - 2) ** 2 ? ([fruit[0] * 0.7, fruit[1] * 0.7, fruit[2] * 0.7].map(Math.round) as [number, number, number]) : fruit;
    return [238 - (y >> 2), 232 - (y >> 2), 220 - (y >> 2)];
  });
}
