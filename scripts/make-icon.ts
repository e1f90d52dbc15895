// Writes assets/icon.png (512×512 RGBA): the app icon drawn in code and encoded by a tiny PNG
// encoder on node:zlib (signature, IHDR, one IDAT, IEND; CRC-32 computed here). Run: npx tsx scripts/make-icon.ts

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes 8-bit RGBA pixels (row-major, width*height*4 bytes) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('encodePng: pixel buffer has the wrong size');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

type Rgba = [number, number, number, number];

/** The icon: a rounded blue tile with three job rows, the first ticked in green. 4× supersampled edges. */
export function drawIcon(size = 512): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const s = size / 512;
  const roundRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number) => {
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  const inTick = (x: number, y: number) => {
    const seg = (ax: number, ay: number, bx: number, by: number, w: number) => {
      const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
      return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= w * w;
    };
    return seg(118, 150, 140, 172, 9) || seg(140, 172, 178, 126, 9);
  };
  const colourAt = (x: number, y: number): Rgba | null => {
    if (!roundRect(x, y, 32, 32, 480, 480, 96)) return null;
    if (inTick(x, y)) return [255, 255, 255, 255];
    if ((x - 148) ** 2 + (y - 150) ** 2 <= 44 ** 2) return [46, 204, 113, 255];
    for (const [row, len] of [
      [150, 330],
      [256, 300],
      [362, 250],
    ] as const) {
      if (row !== 150 && (x - 148) ** 2 + (y - row) ** 2 <= 30 ** 2) return [255, 255, 255, 110];
      if (roundRect(x, y, 212, row - 18, 212 + len - 110, row + 18, 18)) return [255, 255, 255, 235];
    }
    return colourAtTile(x, y);
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const c = colourAt((x + (sx + 0.5) / 4) / s, (y + (sy + 0.5) / 4) / s);
          if (!c) continue;
          // composite translucent foreground over the tile's gradient
          const base = c[3] === 255 ? c : blend(c, colourAtTile((x + 0.5) / s, (y + 0.5) / s));
          r += base[0];
          g += base[1];
          b += base[2];
          a += 255;
        }
      }
      const i = (y * size + x) * 4;
      if (a > 0) {
        px[i] = Math.round((r / a) * 255);
        px[i + 1] = Math.round((g / a) * 255);
        px[i + 2] = Math.round((b / a) * 255);
      }
      px[i + 3] = Math.round(a / 16);
    }
  }
  return px;
}

/** The tile's diagonal gradient. */
function colourAtTile(x: number, y: number): Rgba {
  const t = (x + y) / 1024;
  return [Math.round(37 + 20 * t), Math.round(99 - 30 * t), Math.round(235 - 40 * t), 255];
}

function blend(top: Rgba, under: Rgba): Rgba {
  const a = top[3] / 255;
  return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 255];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'icon.png');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, encodePng(512, 512, drawIcon(512)));
  process.stdout.write(`wrote ${out}\n`);
}
