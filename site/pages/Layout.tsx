import type {ReactNode} from 'react'
import {SITE_CSS} from '../styles'

export const SITE_NAME = 'The Archive'

export interface LayoutProps {
  title: string
  description?: string | null
  /** BCP-47 code of the page's main text. */
  lang?: string | null
  /** False on the search page, whose own form replaces the header's (two boxes confuse). */
  headerSearch?: boolean
  children: ReactNode
}

const LANG_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/

/** Search engines and link previews show about this much of a description. */
const DESCRIPTION_MAX = 160

export function metaDescription(text: string | null | undefined): string | undefined {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim()
  if (!flat) return undefined
  if (flat.length <= DESCRIPTION_MAX) return flat
  const cut = flat.slice(0, DESCRIPTION_MAX - 1)
  const atWord = cut.lastIndexOf(' ')
  return `${(atWord > 80 ? cut.slice(0, atWord) : cut).trimEnd()}…`
}

export function Layout({title, description, lang, headerSearch = true, children}: LayoutProps) {
  const pageLang = lang && LANG_TAG.test(lang) ? lang : 'en'
  const desc = metaDescription(description)
  return (
    <html lang={pageLang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === SITE_NAME ? title : `${title} · ${SITE_NAME}`}</title>
        {desc && <meta name="description" content={desc} />}
        <style dangerouslySetInnerHTML={{__html: SITE_CSS}} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="bar">
            <a className="site-name" href="/">
              {SITE_NAME}
            </a>
            <nav aria-label="Site">
              <ul>
                <li>
                  <a href="/">Home</a>
                </li>
                <li>
                  <a href="/stories">Browse</a>
                </li>
                <li>
                  <a href="/fandoms">Fandoms</a>
                </li>
              </ul>
            </nav>
            {headerSearch && (
              <form role="search" aria-label="Site search" method="get" action="/search">
                <label htmlFor="site-search" className="visually-hidden">
                  Search stories
                </label>
                <input id="site-search" type="search" name="q" placeholder="Search stories" />
                <button type="submit">Search</button>
              </form>
            )}
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>Stories belong to their authors; fandoms to their rights holders. This archive is non-commercial.</p>
        </footer>
      </body>
    </html>
  )
}
