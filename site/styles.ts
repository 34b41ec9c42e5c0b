/**
 * The whole stylesheet, inlined into every page: one request per page and nothing to serve
 * separately. Long-form reading first: a measure of about 36em, generous line height, a serif
 * body, contrast above WCAG AA for text and links, and visible focus outlines.
 */
export const SITE_CSS = `
:root { color-scheme: light; --ink: #1d1b18; --muted: #5b5750; --paper: #fbfaf6; --line: #d9d4c7; --link: #1d4e89; --accent: #7a2e12; }
* { box-sizing: border-box; }
html { font-size: 112.5%; }
body { margin: 0; background: var(--paper); color: var(--ink); font-family: Georgia, "Iowan Old Style", "Palatino Linotype", Palatino, serif; line-height: 1.65; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #e0a400; outline-offset: 2px; }
.skip-link { position: absolute; left: -999px; top: 0; background: var(--ink); color: #fff; padding: 0.5em 1em; z-index: 10; }
.skip-link:focus { left: 0.5em; top: 0.5em; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.site-header, .site-footer { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 0.9rem; }
.site-header { border-bottom: 1px solid var(--line); background: #fff; }
.site-header .bar { max-width: 60rem; margin: 0 auto; padding: 0.75rem 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; }
.site-name { font-weight: 700; font-size: 1.1rem; color: var(--ink); text-decoration: none; }
.site-header nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
.site-header form { margin-left: auto; display: flex; gap: 0.25rem; }
input, select, button { font: inherit; font-size: 0.9rem; padding: 0.3em 0.5em; border: 1px solid #8a8577; border-radius: 3px; background: #fff; color: var(--ink); }
button { background: var(--ink); color: #fff; border-color: var(--ink); cursor: pointer; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.reading { max-width: 36em; margin: 0 auto; }
h1, h2, h3 { line-height: 1.25; font-weight: 700; }
h1 { font-size: 2rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.5rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
.byline { color: var(--muted); margin: 0 0 1rem; }
.avatar { float: right; width: 96px; height: 96px; object-fit: cover; border-radius: 50%; margin: 0 0 0.5rem 1rem; }
.meta { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 0.85rem; display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; border: 1px solid var(--line); background: #fff; padding: 0.75rem 1rem; margin: 1rem 0; }
.meta dt { font-weight: 600; color: var(--muted); }
.meta dd { margin: 0; }
.tag-list { list-style: none; padding: 0; margin: 0; display: inline; }
.tag-list li { display: inline; }
.tag-list li + li::before { content: ", "; }
.summary, .disclaimer { font-size: 0.95rem; }
.disclaimer { color: var(--muted); font-style: italic; }
.notes { border-left: 3px solid var(--line); padding-left: 1rem; }
.story-text { border-top: 1px solid var(--line); margin-top: 1.5rem; padding-top: 1.5rem; }
.chapter-nav + .story-text { border-top: 0; margin-top: 0; padding-top: 0; }
.story-text p { margin: 0 0 1em; }
.story-text p + p { text-indent: 0; }
.story-text blockquote { margin: 1em 1.5em; font-style: italic; }
.centered { text-align: center; }
hr.scene-break { border: 0; margin: 2em auto; text-align: center; height: 1.5em; }
hr.scene-break-asterisks::before { content: "\\2042"; color: var(--muted); font-size: 1.2rem; }
hr.scene-break-rule { border-top: 1px solid var(--line); width: 40%; height: 0; }
.authors-note { background: #f2efe6; border-left: 4px solid var(--accent); padding: 0.5rem 1rem; margin: 1.5em 0; font-size: 0.95rem; }
.authors-note-label { font-family: system-ui, sans-serif; font-size: 0.8rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em; color: var(--accent); margin: 0.25rem 0; }
.footnotes { border-top: 1px solid var(--line); margin-top: 2.5rem; font-size: 0.9rem; }
.footnotes-heading { font-size: 1rem; }
sup.footnote-ref { line-height: 0; }
sup.footnote-ref a { text-decoration: none; padding: 0 0.1em; }
.chapter-nav, .series-nav, .pager { font-family: system-ui, sans-serif; font-size: 0.9rem; display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.5rem; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); padding: 0.5rem 0; margin: 2rem 0; }
.pager ul { list-style: none; display: flex; justify-content: space-between; flex-wrap: wrap; gap: 0.5rem; width: 100%; margin: 0; padding: 0; }
.chapter-nav ul { list-style: none; width: 100%; margin: 0; padding: 0; }
.chapter-nav ul, .series-nav { display: grid; grid-template-columns: minmax(0, 1fr) auto minmax(0, 1fr); align-items: baseline; gap: 0.5rem; }
.chapter-nav li:nth-child(2), .series-nav > :nth-child(2) { text-align: center; }
.chapter-nav li:nth-child(3), .series-nav > :nth-child(3) { text-align: right; }
.story-list { list-style: none; padding: 0; margin: 0; }
.story-card { border: 1px solid var(--line); background: #fff; padding: 0.75rem 1rem; margin: 0 0 1rem; }
.story-card h3 { margin: 0 0 0.25rem; font-size: 1.15rem; }
.story-card .card-meta { font-family: system-ui, sans-serif; font-size: 0.8rem; color: var(--muted); margin: 0.25rem 0; }
.story-card p.card-summary { margin: 0.4rem 0 0; font-size: 0.95rem; }
.badge { display: inline-block; font-family: system-ui, sans-serif; font-size: 0.75rem; font-weight: 700; padding: 0 0.4em; border-radius: 3px; border: 1px solid currentColor; }
.badge-gated { color: var(--accent); }
.filters-box { font-family: system-ui, sans-serif; font-size: 0.85rem; border: 1px solid var(--line); background: #fff; margin: 1rem 0; }
.filters-box > summary { cursor: pointer; padding: 0.5rem 1rem; font-weight: 600; }
.filters { font-family: system-ui, sans-serif; font-size: 0.85rem; border-top: 1px solid var(--line); background: #fff; padding: 0.75rem 1rem; margin: 0; display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: flex-end; }
.filters label { display: flex; flex-direction: column; gap: 0.15rem; }
.filters fieldset { border: 0; padding: 0; margin: 0; flex-basis: 100%; display: flex; flex-wrap: wrap; gap: 0.3rem 1.25rem; }
.filters fieldset legend { padding: 0; margin-bottom: 0.3rem; }
.filters .filter-actions { display: flex; gap: 1rem; align-items: center; }
.filters fieldset label { flex-direction: row; gap: 0.3rem; align-items: center; }
.fandom-list { columns: 2 14rem; padding-left: 1.2rem; }
.gate { border: 2px solid var(--accent); background: #fff; padding: 1rem 1.5rem; margin: 1.5rem 0; }
.gate form { display: inline; }
.site-footer { border-top: 1px solid var(--line); color: var(--muted); }
.site-footer p { max-width: 60rem; margin: 0 auto; padding: 1rem; }
`
