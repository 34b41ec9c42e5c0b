import {JSDOM} from 'jsdom'
import {renderToStaticMarkup} from 'react-dom/server'
import {describe, expect, it} from 'vitest'
import {numberFootnotes, StoryText, type PortableTextValue} from '../../site/portableText'

type Block = PortableTextValue[number]

function span(text: string, marks: string[] = [], key = 's') {
  return {_type: 'span', _key: key, text, marks}
}

function block(children: object[], extra: Record<string, unknown> = {}, markDefs: object[] = []): Block {
  return {_type: 'block', _key: `b${Math.random().toString(36).slice(2, 8)}`, style: 'normal', markDefs, children, ...extra}
}

function render(value: PortableTextValue): {html: string; doc: Document} {
  const html = renderToStaticMarkup(<StoryText value={value} />)
  return {html, doc: new JSDOM(`<!DOCTYPE html><body>${html}</body>`).window.document}
}

const link = (href: string) => block([span('the link', ['l1'])], {}, [{_type: 'link', _key: 'l1', href}])

describe('StoryText renders every storyBody block and mark', () => {
  const cases: Array<{name: string; value: PortableTextValue; selector: string; text?: string; attrs?: Record<string, string>}> = [
    {name: 'normal paragraph', value: [block([span('Plain words.')])], selector: 'p', text: 'Plain words.'},
    {name: 'h2', value: [block([span('Part One')], {style: 'h2'})], selector: 'h2', text: 'Part One'},
    {name: 'h3', value: [block([span('Interlude')], {style: 'h3'})], selector: 'h3', text: 'Interlude'},
    {name: 'blockquote', value: [block([span('Rule nine.')], {style: 'blockquote'})], selector: 'blockquote', text: 'Rule nine.'},
    {name: 'centered', value: [block([span('All well.')], {style: 'centered'})], selector: 'p.centered', text: 'All well.'},
    {
      name: 'bullet list',
      value: [block([span('one')], {listItem: 'bullet', level: 1}), block([span('two')], {listItem: 'bullet', level: 1})],
      selector: 'ul > li:nth-child(2)',
      text: 'two',
    },
    {
      name: 'numbered list',
      value: [block([span('first')], {listItem: 'number', level: 1}), block([span('second')], {listItem: 'number', level: 1})],
      selector: 'ol > li:first-child',
      text: 'first',
    },
    {name: 'em', value: [block([span('soft', ['em'])])], selector: 'p > em', text: 'soft'},
    {name: 'strong', value: [block([span('loud', ['strong'])])], selector: 'p > strong', text: 'loud'},
    {name: 'strike-through', value: [block([span('struck', ['strike-through'])])], selector: 'p > s', text: 'struck'},
    {name: 'underline', value: [block([span('under', ['underline'])])], selector: 'p > u', text: 'under'},
    {
      name: 'nested decorators',
      value: [block([span('both', ['em', 'strong'])])],
      selector: 'em strong, strong em',
      text: 'both',
    },
    {
      name: 'https link',
      value: [link('https://example.org/a?b=1')],
      selector: 'a',
      text: 'the link',
      attrs: {href: 'https://example.org/a?b=1', rel: 'noopener noreferrer'},
    },
    {name: 'http link', value: [link('http://example.org/')], selector: 'a', attrs: {href: 'http://example.org/'}},
    {name: 'mailto link', value: [link('mailto:author@example.org')], selector: 'a', attrs: {href: 'mailto:author@example.org'}},
    {
      name: 'footnote',
      value: [block([span('a claim', ['fn'])], {}, [{_type: 'footnote', _key: 'fn', text: 'The source.'}])],
      selector: 'sup.footnote-ref a[href="#fn-1"]#fnref-1',
      text: '1',
    },
    {
      name: 'footnote list entry',
      value: [block([span('a claim', ['fn'])], {}, [{_type: 'footnote', _key: 'fn', text: 'The source.'}])],
      selector: 'section.footnotes ol li#fn-1',
      text: 'The source. ↩',
    },
    {name: 'scene break', value: [{_type: 'sceneBreak', _key: 'x'}], selector: 'hr.scene-break', attrs: {'aria-label': 'Scene break'}},
    {
      name: "author's note",
      value: [{_type: 'authorsNote', _key: 'n', text: 'Thanks for reading!\n\nMore soon.'}],
      selector: 'aside.authors-note p:last-child',
      text: 'More soon.',
    },
    {
      name: "author's note label",
      value: [{_type: 'authorsNote', _key: 'n', text: 'Hi'}],
      selector: 'aside',
      attrs: {'aria-label': "Author's note"},
    },
  ]

  it.each(cases)('$name', ({value, selector, text, attrs}) => {
    const {doc} = render(value)
    const el = doc.querySelector(selector)
    expect(el, `no element matches ${selector}`).not.toBeNull()
    if (text !== undefined) expect(el!.textContent).toBe(text)
    for (const [name, expected] of Object.entries(attrs ?? {})) expect(el!.getAttribute(name)).toBe(expected)
  })
})

describe('StoryText with hostile content', () => {
  const unsafeHrefs = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    '\u0000javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    '/relative/path',
    '//evil.example/x',
  ]
  it.each(unsafeHrefs)('a link to %j renders as text without an href', (href) => {
    const {doc} = render([link(href)])
    expect(doc.querySelector('a')).toBeNull()
    expect(doc.querySelector('p')!.textContent).toBe('the link')
  })

  it('escapes markup in text instead of rendering it', () => {
    const {html, doc} = render([block([span('<script>alert(1)</script><img src=x onerror=alert(2)>')])])
    expect(doc.querySelector('script, img')).toBeNull()
    expect(html).toContain('&lt;script&gt;')
    expect(doc.querySelector('p')!.textContent).toBe('<script>alert(1)</script><img src=x onerror=alert(2)>')
  })

  it('escapes markup in footnotes and author notes', () => {
    const {doc} = render([
      block([span('x', ['fn'])], {}, [{_type: 'footnote', _key: 'fn', text: '<b onmouseover=alert(1)>f</b>'}]),
      {_type: 'authorsNote', _key: 'n', text: '<iframe src="javascript:alert(1)"></iframe>'},
    ])
    expect(doc.querySelector('b, iframe')).toBeNull()
    expect(doc.querySelector('#fn-1')!.textContent).toContain('<b onmouseover=alert(1)>f</b>')
  })

  it('drops unknown block types and keeps the text of unknown marks', () => {
    const {doc} = render([
      {_type: 'htmlEmbed', _key: 'h', html: '<script>alert(1)</script>'},
      block([span('kept', ['blink'])], {style: 'marquee'}),
    ])
    expect(doc.body.textContent).toBe('kept')
    expect(doc.querySelector('script')).toBeNull()
  })

  it('renders nothing for missing or malformed values', () => {
    expect(renderToStaticMarkup(<StoryText value={null} />)).toBe('')
    expect(renderToStaticMarkup(<StoryText value={'<b>not an array</b>' as unknown as PortableTextValue} />)).toBe('')
  })
})

describe('footnote numbering', () => {
  it('numbers footnotes across blocks in reading order, even when keys repeat per block', () => {
    const value = [
      block([span('one', ['a'], 's1'), span(' two', ['b'], 's2')], {}, [
        {_type: 'footnote', _key: 'a', text: 'first'},
        {_type: 'footnote', _key: 'b', text: 'second'},
      ]),
      block([span('three', ['a'])], {}, [{_type: 'footnote', _key: 'a', text: 'third'}]),
    ]
    expect(numberFootnotes(value).footnotes).toEqual([
      {number: 1, text: 'first'},
      {number: 2, text: 'second'},
      {number: 3, text: 'third'},
    ])
    const {doc} = render(value)
    expect([...doc.querySelectorAll('sup.footnote-ref a')].map((a) => a.getAttribute('href'))).toEqual(['#fn-1', '#fn-2', '#fn-3'])
    expect([...doc.querySelectorAll('.footnotes li')].map((li) => li.id)).toEqual(['fn-1', 'fn-2', 'fn-3'])
  })

  it('keeps anchors unique with an id prefix', () => {
    const value = [block([span('x', ['f'])], {}, [{_type: 'footnote', _key: 'f', text: 'n'}])]
    const html = renderToStaticMarkup(<StoryText value={value} idPrefix="notes-" />)
    expect(html).toContain('id="notes-fn-1"')
    expect(html).toContain('href="#notes-fnref-1"')
  })
})
