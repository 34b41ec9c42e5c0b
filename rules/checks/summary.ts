/**
 * Summary checks: the summary is what readers see in listings, so it must exist, fit, and be a
 * summary (not a header label, an apology, markup or the story's first paragraph again).
 */
import {HEADER_LABELS, matchHeaderLabel} from '../labels'
import {openingText} from '../portableText'
import {applyLevels, compiledExtraPhrases, finding, formatCount, resolveCheckOptions} from './options'
import {compilePhrases, findPhrase, phraseKey} from './phrases'
import type {CheckOptions, Finding, StoryForChecks} from './types'

/** Text an author left where the summary should be; a summary made of only this is no summary. */
const PLACEHOLDER_WHOLE = new Set(
  compilePhrases([
    'none',
    'no summary',
    'n/a',
    'na',
    'tbd',
    'tba',
    'todo',
    'to do',
    'placeholder',
    'summary',
    'summary here',
    'coming soon',
    'insert summary',
    'insert summary here',
    'summary to come',
    'summary tbd',
    'summary tba',
    'summary coming soon',
    'summary later',
    'no summary yet',
    'untitled',
    'x',
  ]),
)
/** Placeholder wording that gives a summary away wherever it appears. */
const PLACEHOLDER_PHRASES = compilePhrases(['insert summary', 'summary to come', 'summary tbd', 'summary coming soon', 'lorem ipsum'])
const BRACKETED_PLACEHOLDER = /[[{<(]\s*(?:insert|summary|add summary|tbd)[^\]}>)]*[\]}>)]/i
/** Only dots, dashes, question marks: "...", "???", "-". */
const PUNCTUATION_ONLY = /^[\p{P}~*=_\s]+$/u

/** An apology or a plea instead of a summary: a warning, since the story may still be fine. */
const APOLOGY_PHRASES = compilePhrases([
  'i suck at summaries',
  'suck at summaries',
  'suck at summary',
  "i'm bad at summaries",
  'bad at summaries',
  'terrible at summaries',
  'horrible at summaries',
  'not good at summaries',
  'no good at summaries',
  'summaries suck',
  'sucky summary',
  'summary sucks',
  'bad summary',
  'read and review',
  'read & review',
  'r&r',
  'rnr',
  'summary inside',
  'full summary inside',
  'just read it',
  'better than it sounds',
  'better than the summary',
  'first fic be nice',
  'first fanfic be nice',
  'first fic please be nice',
])

/** Summary labels only: other labels (e.g. "Rating:") at the start of a summary are left alone. */
const SUMMARY_LABELS = new Set(HEADER_LABELS.summary.map((l) => l.toLowerCase()))

const HTML_TAG = /<\/?(?:b|i|u|s|em|strong|br|p|div|span|a|font|center|strike|del|ins|sup|sub|small|big|h[1-6]|hr|blockquote|img|ul|ol|li)\b[^<>]*>/i
const HTML_ENTITY = /&(?:nbsp|amp|quot|lt|gt|apos|mdash|ndash|hellip|rsquo|lsquo|ldquo|rdquo|#\d{1,6}|#x[0-9a-f]{1,6});/i
const BBCODE = /\[\/?(?:b|i|u|s|url|color|colour|size|font|quote|center|img|spoiler|strike|sup|sub|align)(?:=[^\]]*)?\]/i

const MIN_REPEAT_LENGTH = 20
const ALL_CAPS_MIN_LETTERS = 12
const ALL_CAPS_RATIO = 0.9
const LETTER = /\p{L}/u

function codePointLength(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff || i === 0) n++
    else {
      const prev = text.charCodeAt(i - 1)
      if (prev < 0xd800 || prev > 0xdbff) n++
    }
  }
  return n
}

function isAllCaps(text: string): boolean {
  let letters = 0
  let cased = 0
  let upper = 0
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    if (code < 0x80) {
      // ASCII fast path: no regex or case-mapping allocations for the common case.
      if (code >= 0x41 && code <= 0x5a) {
        letters++
        cased++
        upper++
      } else if (code >= 0x61 && code <= 0x7a) {
        letters++
        cased++
      }
      continue
    }
    if (!LETTER.test(ch)) continue
    letters++
    const lower = ch.toLowerCase()
    const up = ch.toUpperCase()
    if (lower === up) continue
    cased++
    if (ch === up) upper++
  }
  return letters >= ALL_CAPS_MIN_LETTERS && cased > 0 && upper / cased >= ALL_CAPS_RATIO
}

function storyOpening(story: StoryForChecks | null | undefined, maxChars: number): string {
  if (!story) return ''
  const fromBody = story.body != null ? openingText(story.body, maxChars) : ''
  if (fromBody.trim()) return fromBody
  return typeof story.openingText === 'string' ? story.openingText.slice(0, maxChars) : ''
}

// An excerpt an old archive cut off and marked as cut: "... when Ilsa fo..." quotes the opening
// even though it stops mid-word.
const TRAILS_OFF = /(?:\.\.\.|…)\s*$/u

/**
 * The summary's words are the opening's first words. Whole words only ("go to war" is not the
 * start of "go to Warsaw"), unless the summary trails off with an ellipsis.
 * Both keys are space-padded, so a prefix ending in a space ends on a word boundary.
 */
function repeatsOpening(text: string, summaryKey: string, openingKey: string): boolean {
  if (openingKey.startsWith(summaryKey)) return true
  return TRAILS_OFF.test(text) && openingKey.startsWith(summaryKey.trimEnd())
}

export function checkSummary(
  summary: string | null | undefined,
  story?: StoryForChecks | null,
  options?: Partial<CheckOptions>,
): Finding[] {
  const resolved = resolveCheckOptions(options)
  const findings: Finding[] = []
  const text = typeof summary === 'string' ? summary.trim() : ''
  if (!text) {
    findings.push(
      finding(
        'summary.missing',
        'summary',
        'Add a summary: readers see it in every listing and search result.',
        'Two or three sentences on who the story is about and what happens, without spoilers.',
      ),
    )
    return applyLevels(findings, resolved)
  }

  const key = phraseKey(text)
  const literal =
    (PLACEHOLDER_WHOLE.has(key) ? key.trim() : undefined) ??
    (PUNCTUATION_ONLY.test(text) ? text : undefined) ??
    BRACKETED_PLACEHOLDER.exec(text)?.[0] ??
    findPhrase(key, PLACEHOLDER_PHRASES) ??
    findPhrase(key, compiledExtraPhrases(resolved))
  if (literal !== undefined && resolved.levels['summary.placeholder'] !== 'off') {
    // Not written yet: length, capitals and the like would only add noise.
    findings.push(
      finding(
        'summary.placeholder',
        'summary',
        `The summary is a placeholder ("${literal}"), not a summary.`,
        'Write two or three sentences on who the story is about and what happens.',
      ),
    )
    return applyLevels(findings, resolved)
  }

  const length = codePointLength(text)
  if (length > resolved.summaryMaxLength) {
    const max = resolved.summaryMaxLength
    findings.push(
      finding(
        'summary.too-long',
        'summary',
        `The summary is too long: ${formatCount(length)} characters; the limit is ${formatCount(max)}: cut ${formatCount(length - max)}.`,
        'Keep the hook and the main conflict; move background or notes to the story notes.',
      ),
    )
  } else if (length < resolved.summaryMinLength) {
    const min = resolved.summaryMinLength
    findings.push(
      finding(
        'summary.too-short',
        'summary',
        `The summary is too short: ${formatCount(length)} characters; the minimum is ${formatCount(min)}: add ${formatCount(min - length)}.`,
        'Say who the story is about and what happens to them.',
      ),
    )
  }

  const label = matchHeaderLabel(text)
  if (label && SUMMARY_LABELS.has(label.label.toLowerCase())) {
    const firstLineEnd = text.indexOf('\n')
    const rest = firstLineEnd === -1 ? '' : text.slice(firstLineEnd)
    const fixed = (label.value + rest).trim()
    findings.push(
      finding(
        'summary.header-label',
        'summary',
        `The summary starts with the header label "${label.label}"; the field is already labelled, remove it.`,
        `Change it to: "${fixed}"`,
      ),
    )
  }

  const apology = findPhrase(key, APOLOGY_PHRASES)
  if (apology) {
    findings.push(
      finding(
        'summary.apology',
        'summary',
        `The summary apologises or pleads ("${apology}") instead of describing the story.`,
        'Replace it with two or three sentences about the story; leave requests for reviews to the notes.',
      ),
    )
  }

  if (length >= MIN_REPEAT_LENGTH) {
    const opening = storyOpening(story, text.length + 200)
    if (opening) {
      if (key.trim() && repeatsOpening(text, key, phraseKey(opening))) {
        findings.push(
          finding(
            'summary.repeats-opening',
            'summary',
            "The summary is just the story's opening lines, which readers will see anyway.",
            'Write a summary that says what the story is about instead of quoting its start.',
          ),
        )
      }
    }
  }

  if (isAllCaps(text)) {
    findings.push(
      finding(
        'summary.all-caps',
        'summary',
        'The summary is written in capital letters, which reads as shouting in listings.',
        'Rewrite it in sentence case; use italics in the story text for emphasis.',
      ),
    )
  }

  const markup = HTML_TAG.exec(text) ?? HTML_ENTITY.exec(text) ?? BBCODE.exec(text)
  if (markup) {
    findings.push(
      finding(
        'summary.markup',
        'summary',
        `The summary contains markup ("${markup[0]}") that will show up as literal text.`,
        'Remove the tags; summaries are plain text.',
      ),
    )
  }

  return applyLevels(findings, resolved)
}
