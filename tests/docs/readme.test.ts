/**
 * What the README promises a newcomer about Node.js matches what the project really requires:
 * the `engines` range the code needs and the Node the project installs for its scripts.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {engines: {node: string}; devDependencies: Record<string, string>}

describe('README: Node.js versions', () => {
  it("names the engines range the code needs, in the first-run section", () => {
    const minimum = /^>=(\d+\.\d+)$/.exec(pkg.engines.node)?.[1]
    expect(minimum).toBeDefined()
    const firstRun = readme.slice(readme.indexOf('## First run'), readme.indexOf('## What is in it'))
    expect(firstRun).toContain(`Node.js ${minimum} or newer`)
  })

  it('names the major version of the Node the project installs for its scripts', () => {
    const major = /^(\d+)\./.exec(pkg.devDependencies.node)?.[1]
    expect(readme).toContain(`installs Node ${major} into the project`)
  })

  it('never says Node 20 is enough without saying it is for npm only', () => {
    for (const line of readme.split('\n').filter((l) => /Node(\.js)? (>= ?)?20/.test(l))) expect(line).toMatch(/npm/)
  })
})
