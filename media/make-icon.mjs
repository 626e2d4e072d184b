#!/usr/bin/env node
// Draws media/icon.png (128x128): three state boxes joined by arrows, Step Functions colours.
// A tiny PNG encoder (zlib from node) so no image tool is needed. Run: node media/make-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const N = 128,
  SS = 4; // size, supersampling per axis
const bg = [35, 47, 62],
  fg = [255, 153, 0],
  light = [255, 255, 255];

// shapes in icon coordinates; later ones paint over earlier ones
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r),
    cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const tri = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by),
    d2 = s(bx, by, cx, cy),
    d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const layers = [
  [roundRect(0, 0, 128, 128, 22), bg],
  [rect(62, 34, 66, 50), light],
  [tri(56, 48, 72, 48, 64, 56), light], // arrow 1
  [rect(62, 78, 66, 94), light],
  [tri(56, 92, 72, 92, 64, 100), light], // arrow 2
  [roundRect(34, 12, 94, 34, 6), fg],
  [roundRect(34, 56, 94, 78, 6), fg],
  [roundRect(34, 100, 94, 120, 6), fg],
];

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++)
      for (let sx = 0; sx < SS; sx++) {
        const px = x + (sx + 0.5) / SS,
          py = y + (sy + 0.5) / SS;
        let c = null;
        for (const [hit, col] of layers) if (hit(px, py)) c = col;
        if (c) {
          acc[0] += c[0];
          acc[1] += c[1];
          acc[2] += c[2];
          acc[3] += 255;
        }
      }
    const n = SS * SS,
      o = y * (N * 4 + 1) + 1 + x * 4,
      a = acc[3] / n;
    const k = acc[3] ? n * (a / 255) : 1;
    raw[o] = Math.round(acc[0] / k);
    raw[o + 1] = Math.round(acc[1] / k);
    raw[o + 2] = Math.round(acc[2] / k);
    raw[o + 3] = Math.round(a);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8;
ihdr[9] = 6; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
