/**
 * simplifyConditions (lake/conditions.ts) works out the parts of filter conditions that only read
 * parameters: the rows kept must be groq-js's own for every value a condition can take.
 */
import {evaluateSync, parse, type ExprNode} from 'groq-js'
import {describe, expect, test} from 'vitest'
import {simplifyConditions} from '../../lake/conditions'
import {storiesByPublishedQuery} from '../../queries'

type Node = ExprNode & Record<string, unknown>

const NO_FILTERS = {rating: null, warning: null, excludeWarnings: null, category: null, status: null, language: null, minWords: null, maxWords: null, fandom: null, author: null, tagged: null, lastPublishedAt: null, lastId: null}

/** The attribute names a filter condition reads. */
function attributes(node: unknown, out = new Set<string>()): Set<string> {
  if (!node || typeof node !== 'object') return out
  if (Array.isArray(node)) {
    for (const item of node) attributes(item, out)
    return out
  }
  const n = node as Record<string, unknown>
  if (n.type === 'Value') return out
  if (n.type === 'AccessAttribute') out.add(n.name as string)
  for (const value of Object.values(n)) attributes(value, out)
  return out
}

/** The first filter's condition of a parsed query. */
function firstCondition(node: unknown): unknown {
  if (!node || typeof node !== 'object') return null
  const n = node as Record<string, unknown>
  if (n.type === 'Filter') return n.expr
  for (const value of Object.values(n)) {
    const found = firstCondition(value)
    if (found) return found
  }
  return null
}

describe('simplifyConditions', () => {
  test("the site's switched-off filter options leave the condition", () => {
    const read = (params: Record<string, unknown>) => attributes(firstCondition(simplifyConditions(parse(storiesByPublishedQuery, {params}) as Node, params)))
    const condition = attributes(firstCondition(parse(storiesByPublishedQuery, {params: NO_FILTERS})))
    expect(condition).toContain('warnings')
    const none = read(NO_FILTERS)
    expect([...none].sort()).toEqual(['_id', '_type', 'current', 'publishedAt', 'slug'])
    expect(read({...NO_FILTERS, fandom: 'fandom.3'})).toContain('fandoms')
  })

  // Values a document's `x` takes, and parameter values: booleans, null, and values that are neither.
  const docs = [true, false, null, 'a', 1, 0, [], {}].map((x, i) => ({_id: `d${i}`, _type: 't', x}))
  const values = [true, false, null, 'a', 0]
  const conditions = [
    '$p && x',
    'x && $p',
    '$p || x',
    'x || $p',
    '!($p && x)',
    '!($p || x)',
    '($p == null || x == $p) && defined(x)',
    '($p) && (x)',
    '!(!$p) || !x',
    'x[$p][0] == 1 && $p != false',
    'count(*[_type == "t" && ($p || x)]) > 0 && x',
  ]
  test.each(conditions)('%s keeps the rows groq-js keeps, for every parameter value', (condition) => {
    const query = `*[${condition}]._id`
    for (const p of values) {
      const params = {p}
      const parsed = parse(query, {params})
      const want = evaluateSync(parsed, {params, dataset: docs}).data
      const got = evaluateSync(simplifyConditions(parsed as Node, params) as ExprNode, {params, dataset: docs}).data
      expect(got, `${query} with $p = ${JSON.stringify(p)}`).toEqual(want)
    }
  })

  test('references() to an id no document holds is false for every document, and only over the dataset', () => {
    const studioList = '*[_type in $types && ([@, _id] match text::query($q) || references($raw)) && (_type == $type)]._id'
    const names = (tree: unknown) => JSON.stringify(tree).match(/"name":"references"/g)?.length ?? 0
    const params = {types: ['story'], q: '*', raw: '', type: 'story'}
    expect(names(simplifyConditions(parse(studioList, {params}) as Node, params, () => false))).toBe(0)
    expect(names(simplifyConditions(parse(studioList, {params}) as Node, params, () => true))).toBe(1)
    // An array's filter is not over documents: left to groq-js.
    expect(names(simplifyConditions(parse('*[_type == "t"]{"a": authors[references("x")]}', {params: {}}) as Node, {}, () => false))).toBe(1)

    const dataset = [
      {_id: 'a', _type: 't', authors: [{_ref: 'p'}], x: 'a'},
      {_id: 'b', _type: 't', body: [{children: [{markDefs: [{_ref: 'q'}]}]}]},
      {_id: 'c', _type: 't', x: null},
    ]
    const held = new Set(['p', 'q'])
    for (const query of ['*[references("p") || references("z")]._id', '*[!references("z")]._id', '*[references(["z", "q"]) && defined(_id)]._id', '*[x == "a" || references($r)]._id']) {
      const queryParams = {r: 'nope'}
      const parsed = parse(query, {params: queryParams})
      const want = evaluateSync(parsed, {params: queryParams, dataset}).data
      const got = evaluateSync(simplifyConditions(parsed as Node, queryParams, (id) => held.has(id)) as ExprNode, {params: queryParams, dataset}).data
      expect(got, query).toEqual(want)
    }
  })
})
