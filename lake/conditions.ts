import {evaluateSync, type ExprNode} from 'groq-js'

type Node = ExprNode & Record<string, unknown>

/** Functions whose value depends only on their arguments: a call on constants is a constant. */
const CONSTANT_FUNCTIONS = new Set(['path', 'lower', 'upper', 'coalesce', 'defined', 'count', 'length', 'string'])

/** True when `node` reads no document and no scope: literals, parameters and pure functions of them. */
export function isConstantTree(node: Node): boolean {
  switch (node.type) {
    case 'Value':
    case 'Parameter':
      return true
    case 'Group':
    case 'Not':
    case 'Neg':
    case 'Pos':
      return isConstantTree(node.base as Node)
    case 'And':
    case 'Or':
    case 'OpCall':
      return isConstantTree(node.left as Node) && isConstantTree(node.right as Node)
    case 'Array':
      return (node.elements as unknown as Array<{value: Node}>).every((e) => isConstantTree(e.value))
    case 'FuncCall':
      return node.namespace === 'global' && CONSTANT_FUNCTIONS.has(node.name as string) && (node.args as Node[]).every(isConstantTree)
    default:
      return false
  }
}

const TRUE = {type: 'Value', value: true} as unknown as Node
const FALSE = {type: 'Value', value: false} as unknown as Node

function isBoolean(node: Node, value: boolean): boolean {
  return node.type === 'Value' && node.value === value
}

/**
 * The query with each filter's condition worked out as far as its parameters allow. The site's
 * filters switch options off with `($x == null || x == $x)`: with `$x` null that is `true`, and
 * `true && rest` is `rest`, so groq-js no longer evaluates a dozen switched-off terms per story.
 * Only conditions are changed (a filter's, and the `&&`, `||`, `!` and `()` inside it): there only
 * `true` keeps a row, and `true && x`, `false || x` and `x` are `true` for the same rows (what
 * else they give, null or false, `&&`, `||` and `!` treat alike).
 */
export function simplifyConditions(node: Node, params: Record<string, unknown>, isReferenced?: (id: string) => boolean): Node {
  const values = new Map<Node, {value: unknown} | null>()
  /** The value of a subtree that reads no document, once per node; null for any other. */
  const constantValue = (n: Node): {value: unknown} | null => {
    if (values.has(n)) return values.get(n)!
    let result: {value: unknown} | null = null
    if (isConstantTree(n)) {
      try {
        result = {value: evaluateSync(n as ExprNode, {params}).data}
      } catch {
        result = null
      }
    }
    values.set(n, result)
    return result
  }
  const constant = (n: Node): Node | null => {
    if (n.type === 'Value') return typeof n.value === 'boolean' ? n : null
    const found = constantValue(n)
    return found && typeof found.value === 'boolean' ? (found.value ? TRUE : FALSE) : null
  }
  // `rows`: the filter's rows are the dataset's documents (`*[...]`), which isReferenced speaks of.
  const condition = (n: Node, rows: boolean): Node => {
    const fixed = constant(n)
    if (fixed) return fixed
    switch (n.type) {
      case 'FuncCall': {
        if (rows && isReferenced && n.namespace === 'global' && n.name === 'references' && unreferenced(n)) return FALSE
        return walk(n)
      }
      case 'Group': {
        const base = condition(n.base as Node, rows)
        return base.type === 'Value' ? base : base === n.base ? n : ({...n, base} as Node)
      }
      case 'Not': {
        const base = condition(n.base as Node, rows)
        if (base.type === 'Value' && typeof base.value === 'boolean') return base.value ? FALSE : TRUE
        return base === n.base ? n : ({...n, base} as Node)
      }
      case 'And': {
        const left = condition(n.left as Node, rows)
        const right = condition(n.right as Node, rows)
        if (isBoolean(left, false) || isBoolean(right, false)) return FALSE
        if (isBoolean(left, true)) return right
        if (isBoolean(right, true)) return left
        return left === n.left && right === n.right ? n : ({...n, left, right} as Node)
      }
      case 'Or': {
        const left = condition(n.left as Node, rows)
        const right = condition(n.right as Node, rows)
        if (isBoolean(left, true) || isBoolean(right, true)) return TRUE
        if (isBoolean(left, false)) return right
        if (isBoolean(right, false)) return left
        return left === n.left && right === n.right ? n : ({...n, left, right} as Node)
      }
      default:
        return walk(n)
    }
  }
  // `references(c)` with constant ids no document of the dataset holds a `_ref` to is false for each
  // of them; groq-js would walk every value of every row (a story's body) to find that out, as
  // it evaluates both sides of `||` (the Studio's lists: `... || references($__rawQuery)`).
  const unreferenced = (call: Node): boolean => {
    const ids: string[] = []
    for (const arg of call.args as Node[]) {
      const value = constantValue(arg)
      if (!value) return false
      if (typeof value.value === 'string') ids.push(value.value)
      else if (Array.isArray(value.value)) {
        for (const item of value.value) if (typeof item === 'string') ids.push(item)
      }
    }
    return ids.every((id) => !isReferenced!(id))
  }
  const walk = (n: Node): Node => {
    // A Value's content is data, never a node.
    if (n.type === 'Value') return n
    let copy: Node | null = null
    for (const [key, value] of Object.entries(n)) {
      let next: unknown = value
      if (n.type === 'Filter' && key === 'expr') next = condition(value as Node, (n.base as Node).type === 'Everything')
      else if (Array.isArray(value)) {
        const mapped = value.map((item) => (isNode(item) ? walk(item) : item))
        if (mapped.some((item, i) => item !== value[i])) next = mapped
      } else if (isNode(value)) next = walk(value)
      if (next !== value) {
        copy ??= {...n}
        ;(copy as Record<string, unknown>)[key] = next
      }
    }
    return copy ?? n
  }
  return walk(node)
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && typeof (value as {type?: unknown}).type === 'string'
}
