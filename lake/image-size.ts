/** Reads width/height from the headers of PNG, GIF, JPEG, WebP and SVG images. */
export interface ImageInfo {
  width: number
  height: number
  extension: 'png' | 'gif' | 'jpg' | 'webp' | 'svg'
  mimeType: string
  hasAlpha: boolean
}

export function imageInfo(buf: Buffer): ImageInfo | null {
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47) {
    const colorType = buf[25]
    return {width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), extension: 'png', mimeType: 'image/png', hasAlpha: colorType === 4 || colorType === 6}
  }
  if (buf.length >= 10 && buf.toString('ascii', 0, 3) === 'GIF') {
    return {width: buf.readUInt16LE(6), height: buf.readUInt16LE(8), extension: 'gif', mimeType: 'image/gif', hasAlpha: true}
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let offset = 2
    while (offset + 9 < buf.length) {
      if (buf[offset] !== 0xff) return null
      const marker = buf[offset + 1]
      const length = buf.readUInt16BE(offset + 2)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return {height: buf.readUInt16BE(offset + 5), width: buf.readUInt16BE(offset + 7), extension: 'jpg', mimeType: 'image/jpeg', hasAlpha: false}
      }
      offset += 2 + length
    }
    return null
  }
  if (buf.length >= 30 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP') {
    const chunk = buf.toString('ascii', 12, 16)
    if (chunk === 'VP8 ') return {width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff, extension: 'webp', mimeType: 'image/webp', hasAlpha: false}
    if (chunk === 'VP8L') {
      const bits = buf.readUInt32LE(21)
      return {width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1, extension: 'webp', mimeType: 'image/webp', hasAlpha: true}
    }
    if (chunk === 'VP8X') {
      return {width: buf.readUIntLE(24, 3) + 1, height: buf.readUIntLE(27, 3) + 1, extension: 'webp', mimeType: 'image/webp', hasAlpha: (buf[20] & 0x10) !== 0}
    }
    return null
  }
  const head = buf.toString('utf8', 0, Math.min(buf.length, 4096))
  if (/<svg[\s>]/i.test(head)) {
    const tag = head.slice(head.search(/<svg[\s>]/i))
    const num = (name: string) => {
      const m = new RegExp(`\\s${name}="([0-9.]+)(px)?"`).exec(tag)
      return m ? Math.round(Number(m[1])) : null
    }
    let width = num('width')
    let height = num('height')
    const viewBox = /viewBox="[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)"/.exec(tag)
    if ((!width || !height) && viewBox) {
      width = Math.round(Number(viewBox[1]))
      height = Math.round(Number(viewBox[2]))
    }
    return {width: width || 100, height: height || 100, extension: 'svg', mimeType: 'image/svg+xml', hasAlpha: true}
  }
  return null
}
