/**
 * The site's icon, /favicon.ico: browsers ask for it on every first visit, and a 404 there fills
 * logs and dev tools with noise. A 16×16 ICO (one 32-bit bitmap) drawn here from a few rows of
 * text, so there is no binary file to keep in step with the stylesheet's colours.
 */

/** An open book on the site's accent colour; '.' is transparent (the rounded corners). */
const ART = [
  '..############..',
  '.##############.',
  '################',
  '##ooooo##ooooo##',
  '##ooooo##ooooo##',
  '##o---o##o---o##',
  '##ooooo##ooooo##',
  '##o---o##o---o##',
  '##ooooo##ooooo##',
  '##o---o##o---o##',
  '##ooooo##ooooo##',
  '##oooooooooooo##',
  '###oooooooooo###',
  '################',
  '.##############.',
  '..############..',
]

/** [r, g, b, a] per art character: --accent and --paper of styles.ts. */
const COLOURS: Record<string, [number, number, number, number]> = {
  '#': [0x7a, 0x2e, 0x12, 0xff],
  '-': [0x7a, 0x2e, 0x12, 0xff],
  o: [0xfb, 0xfa, 0xf6, 0xff],
  '.': [0, 0, 0, 0],
}

function buildIco(): Buffer {
  const size = ART.length
  const pixels = size * size * 4
  const mask = size * 4 // one bit per pixel, rows padded to 32 bits; alpha does the work
  const image = 40 + pixels + mask
  const out = Buffer.alloc(6 + 16 + image)
  // ICONDIR: reserved, type 1 (icon), one image.
  out.writeUInt16LE(0, 0)
  out.writeUInt16LE(1, 2)
  out.writeUInt16LE(1, 4)
  // ICONDIRENTRY: width, height, no palette, planes, bits per pixel, size, offset.
  out.writeUInt8(size, 6)
  out.writeUInt8(size, 7)
  out.writeUInt16LE(1, 10)
  out.writeUInt16LE(32, 12)
  out.writeUInt32LE(image, 14)
  out.writeUInt32LE(22, 18)
  // BITMAPINFOHEADER: the height counts the colour rows and the mask rows.
  const header = 22
  out.writeUInt32LE(40, header)
  out.writeInt32LE(size, header + 4)
  out.writeInt32LE(size * 2, header + 8)
  out.writeUInt16LE(1, header + 12)
  out.writeUInt16LE(32, header + 14)
  out.writeUInt32LE(pixels + mask, header + 20)
  // Rows bottom-up, BGRA.
  let at = header + 40
  for (let row = size - 1; row >= 0; row--) {
    for (const char of ART[row]!) {
      const [r, g, b, a] = COLOURS[char] ?? COLOURS['.']!
      out.writeUInt8(b, at)
      out.writeUInt8(g, at + 1)
      out.writeUInt8(r, at + 2)
      out.writeUInt8(a, at + 3)
      at += 4
    }
  }
  return out
}

export const FAVICON_ICO: Buffer = buildIco()
