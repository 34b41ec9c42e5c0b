import {htmlToBlocks} from '@portabletext/block-tools'
import {Schema} from '@sanity/schema'
import {JSDOM} from 'jsdom'
import {describe, expect, it} from 'vitest'
import {schemaTypes} from '../../schemas'
import {type BodyBlock, blockText, counterKeys, rekeyBlocks} from '../../scripts/import/blocks'
import {htmlToStoryBlocks} from '../../scripts/import/html-blocks'
import {fixture} from './helpers'

const schema = Schema.compile({name: 'default', types: schemaTypes})
const storyBodyType = schema.get('story').fields.find((field: {name: string}) => field.name === 'body').type

/**
 * block-tools configured with the archive's policy, which it has no notion of by default:
 * `<hr>` is a scene break, unsafe links keep their text only, `<center>` is the centred style.
 */
// Written out here rather than imported from rules/, so the reference never agrees with us by construction.
const REFERENCE_SAFE_HREF = /^(?:https?:\/\/|mailto:)\S/i

const policyRules = [
  {
    deserialize(el: Node, next: (nodes: NodeList) => unknown, createBlock: (props: Record<string, unknown>) => unknown) {
      if (el.nodeType !== 1) return undefined
      const element = el as Element
      if (element.tagName === 'HR') return {_type: 'sceneBreak', style: 'rule'}
      if (element.tagName === 'A' && !REFERENCE_SAFE_HREF.test(element.getAttribute('href')?.trim() ?? '')) return next(element.childNodes)
      if (element.tagName === 'CENTER') return createBlock({_type: 'block', style: 'centered', children: next(element.childNodes), markDefs: []})
      return undefined
    },
  },
]

function reference(html: string): BodyBlock[] {
  return htmlToBlocks(html, storyBodyType, {rules: policyRules as never, parseHtml: (source) => new JSDOM(source).window.document}) as unknown as BodyBlock[]
}

/** Keys are random in block-tools and counters in ours; empty paragraphs are dropped by both pipelines. */
function normalise(blocks: BodyBlock[]): unknown {
  const kept = blocks
    .filter((block) => block._type !== 'block' || blockText(block) !== '')
    .map((block) => (block._type === 'block' ? {...block, children: block.children.map(({text, marks}) => ({_type: 'span' as const, _key: '', text, marks}))} : block))
  return JSON.parse(JSON.stringify(rekeyBlocks(kept as BodyBlock[], counterKeys())))
}

describe('the streaming converter produces what block-tools produces', () => {
  it.each(['multi-chapter.html', 'ao3-download.html', 'fanficfare.html'])('fixture %s', (name) => {
    const html = fixture(name).toString('utf8')
    const ours = normalise(htmlToStoryBlocks(html))
    expect(ours).toEqual(normalise(reference(html)))
    expect((ours as unknown[]).length).toBeGreaterThan(3)
  })

  it.each([
    ['whitespace runs across marks', '<p>  leading  <em> b </em> c  </p><p>trail <em>x</em> </p>'],
    ['nested marks and links', '<p><em><a href="http://a.example">x</a></em><a href="https://b.example"><em>y</em> z</a> <b><i>bi</i></b></p>'],
    ['line breaks', '<p>a <br> b<br/>c</p>'],
    ['entities and no-break spaces', '<p>x&nbsp;&nbsp;y &mdash; &#8220;q&#8221; &amp; more</p>'],
    ['nested lists', '<ul><li>a<ol><li>n1</li><li>n2</li></ol></li><li>b</li></ul>'],
    ['quotes with paragraphs', '<blockquote><p>a</p><p>b <em>c</em></p></blockquote>'],
    ['headings', '<h1>Top</h1><h2>  spaced   head </h2><h3>sub</h3><h4>small</h4>'],
    ['decorators', '<p><u>u</u><s>s</s><del>d</del><strike>k</strike><strong>st</strong></p>'],
    ['rules and centred text', '<p>a</p><hr><p>b</p><center>cc <em>x</em></center>'],
    ['loose text and tables', '<p>a</p>text after<p>b</p><table><tr><td>Rating:</td><td>Teen</td></tr></table>'],
    ['script and style content', '<style>p{color:red}</style><p>kept<script>dropped()</script></p><style>.x{}</style>'],
    ['definition lists stay inline as in block-tools', '<dl><dt>Rating:</dt><dd>Teen</dd>\n<dt>Language:</dt><dd>English</dd></dl>'],
  ])('%s', (_, html) => {
    expect(normalise(htmlToStoryBlocks(html))).toEqual(normalise(reference(html)))
  })
})

describe('links', () => {
  it.each([
    ['javascript: and data: lose the link, keep the text', '<p>a <a href="javascript:x()">bad</a> <a href="data:text/html,hi">data</a> c</p>', [], 'a bad data c'],
    ['http, https and mailto stay', '<p><a href="http://a.example/">h</a> <a href="https://b.example/x?y=1">s</a> <a href="mailto:wren@c.example">m</a></p>', ['http://a.example/', 'https://b.example/x?y=1', 'mailto:wren@c.example'], 'h s m'],
    ['scheme case and spacing tricks are unsafe', '<p><a href=" JaVaScRiPt:alert(1)">x</a> <a href="vbscript:y">y</a> <a href="file:///etc/passwd">z</a> <a href="https://ok.example">ok</a></p>', ['https://ok.example'], 'x y z ok'],
  ])('%s', (_name, html, hrefs, text) => {
    const blocks = htmlToStoryBlocks(html)
    expect(blocks.flatMap((block) => (block._type === 'block' ? block.markDefs.map((def) => (def as {href?: string}).href) : []))).toEqual(hrefs)
    expect(blocks.map((block) => (block._type === 'block' ? blockText(block) : '')).join('\n')).toBe(text)
  })
})
