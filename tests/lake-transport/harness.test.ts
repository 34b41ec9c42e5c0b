import {describe, expect, it} from 'vitest'
import {launchBrowser} from '../e2e/harness'

describe('e2e harness', () => {
  it('fails loudly, never skips, when Chromium is missing', async () => {
    await expect(launchBrowser('/nonexistent/chromium')).rejects.toThrow(/Chromium not found at \/nonexistent\/chromium.*never skip/)
  })
})
