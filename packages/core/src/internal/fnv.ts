/**
 * FNV-1a 64 over a text's UTF-8 bytes, in four 16-bit limbs (offset basis 0xcbf29ce484222325) so that all
 * arithmetic is exact in doubles: the prime is 2^40 + 0x1b3, so each step multiplies every limb by 0x1b3 and adds
 * the two low limbs shifted up by 40 bits. Synchronous and allocation-free (Web Crypto's digests are neither),
 * for ids and keys derived from content: claim ids, submission keys. Not a cryptographic hash.
 */
export class Fnv64 {
  h0 = 0x2325
  h1 = 0x8422
  h2 = 0x9ce4
  h3 = 0xcbf2

  reset(): this {
    this.h0 = 0x2325
    this.h1 = 0x8422
    this.h2 = 0x9ce4
    this.h3 = 0xcbf2
    return this
  }

  feed(text: string): this {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c < 0x80) {
        this.byte(c)
      } else if (c < 0x800) {
        this.byte(0xc0 | (c >>> 6))
        this.byte(0x80 | (c & 0x3f))
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1)
        const point = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00)
        i++
        this.byte(0xf0 | (point >>> 18))
        this.byte(0x80 | ((point >>> 12) & 0x3f))
        this.byte(0x80 | ((point >>> 6) & 0x3f))
        this.byte(0x80 | (point & 0x3f))
      } else {
        this.byte(0xe0 | (c >>> 12))
        this.byte(0x80 | ((c >>> 6) & 0x3f))
        this.byte(0x80 | (c & 0x3f))
      }
    }
    return this
  }

  /** Feeds a part of a key and the `|` after it. */
  field(text: string): this {
    return this.feed(text).feed("|")
  }

  private byte(value: number): void {
    const h0 = this.h0 ^ value
    const t0 = h0 * 0x1b3
    const t1 = this.h1 * 0x1b3 + (t0 >>> 16)
    const t2 = this.h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16)
    this.h3 = (this.h3 * 0x1b3 + this.h1 * 0x100 + (t2 >>> 16)) & 0xffff
    this.h0 = t0 & 0xffff
    this.h1 = t1 & 0xffff
    this.h2 = t2 & 0xffff
  }

  /** The hash's 16 hex digits, most significant first, after `prefix`. */
  hex(prefix = ""): string {
    const { h0, h1, h2, h3 } = this
    return String.fromCharCode(
      ...[...prefix].map((ch) => ch.charCodeAt(0)),
      digit(h3 >>> 12),
      digit((h3 >>> 8) & 15),
      digit((h3 >>> 4) & 15),
      digit(h3 & 15),
      digit(h2 >>> 12),
      digit((h2 >>> 8) & 15),
      digit((h2 >>> 4) & 15),
      digit(h2 & 15),
      digit(h1 >>> 12),
      digit((h1 >>> 8) & 15),
      digit((h1 >>> 4) & 15),
      digit(h1 & 15),
      digit(h0 >>> 12),
      digit((h0 >>> 8) & 15),
      digit((h0 >>> 4) & 15),
      digit(h0 & 15)
    )
  }
}

/** The character code of a hex digit (lowercase). */
const digit = (value: number): number => (value < 10 ? 0x30 + value : 0x57 + value)

/** The FNV-1a 64 hash of a text's UTF-8 bytes, as 16 hex digits. */
export const fnv1a64 = (text: string): string => new Fnv64().feed(text).hex()
