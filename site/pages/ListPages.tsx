import {CATEGORIES, LANGUAGES, MEDIA_TYPES, RATING_SEED, STORY_STATUSES, WARNINGS} from '../../rules'
import type {Author, Fandom, FandomListEntry, HomeData, SearchResult, Series, StoryListPage} from '../data'
import {fandomPath, mediaTypeTitle} from '../labels'
import {listSearch, SORTS, type ListRequest} from '../listParams'
import {StoryText, type PortableTextValue} from '../portableText'
import {isSafeLinkHref} from '../../rules'
import {Layout} from './Layout'
import {Pager, StoryList} from './StoryList'

export function HomePage({home}: {home: HomeData}) {
  return (
    <Layout title="The Archive" description="Fan fiction and original stories, free to read.">
      <h1>Welcome to the Archive</h1>
      <p>Fan fiction and original stories, free to read. Browse by fandom, search, or start with the newest work.</p>
      <section aria-labelledby="newest-heading">
        <h2 id="newest-heading">Newest stories</h2>
        <StoryList stories={home.stories} />
        <p>
          <a href="/stories">Browse all stories →</a>
        </p>
      </section>
      <section aria-labelledby="fandoms-heading">
        <h2 id="fandoms-heading">{home.fandomsFromRecent ? 'Fandoms with new stories' : 'Fandoms'}</h2>
        {home.fandoms.length === 0 ? (
          <p>No fandom has a story yet.</p>
        ) : (
          <ul className="fandom-list">
            {home.fandoms.map((f) => (
              <li key={f._id}>
                <a href={fandomPath(f.slug)}>{f.title}</a>
                {!home.fandomsFromRecent && <span className="card-meta"> ({storyCount(f.storyCount)})</span>}
              </li>
            ))}
          </ul>
        )}
        {home.fandomTotal > home.fandoms.length && (
          <p>
            <a href="/fandoms">All {home.fandomTotal.toLocaleString('en')} fandoms, by media →</a>
          </p>
        )}
      </section>
    </Layout>
  )
}

function storyCount(n: number): string {
  return `${n.toLocaleString('en')} ${n === 1 ? 'story' : 'stories'}`
}

/** Every fandom, grouped by media type in the order the Studio offers them; unknown types last. */
export function FandomsPage({fandoms}: {fandoms: FandomListEntry[]}) {
  const groups = new Map<string, FandomListEntry[]>()
  for (const fandom of fandoms) {
    const known = MEDIA_TYPES.some((m) => m.value === fandom.mediaType)
    const key = known ? fandom.mediaType! : 'other'
    groups.set(key, [...(groups.get(key) ?? []), fandom])
  }
  const present = MEDIA_TYPES.filter((m) => groups.has(m.value))
  return (
    <Layout title="All fandoms" description="Every fandom of the archive, by media type.">
      <h1>All fandoms</h1>
      <p>Every fandom the archive knows, by media type, including those with no stories yet. The home page lists the ones with stories.</p>
      {present.length > 1 && (
        <nav aria-label="Media types">
          <ul className="tag-list">
            {present.map((m) => (
              <li key={m.value}>
                <a href={`#media-${m.value}`}>{m.title}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {present.length === 0 && <p>No fandoms yet.</p>}
      {present.map((m) => (
        <section key={m.value} aria-labelledby={`media-${m.value}`}>
          <h2 id={`media-${m.value}`}>
            {m.title} <span className="card-meta">({groups.get(m.value)!.length})</span>
          </h2>
          <ul className="fandom-list">
            {groups.get(m.value)!.map((f) => (
              <li key={f._id}>
                <a href={fandomPath(f.slug)}>{f.title}</a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  )
}

function Select({name, label, value, options}: {name: string; label: string; value: string | null; options: ReadonlyArray<{value: string; title: string}>}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ''}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.title}
          </option>
        ))}
      </select>
    </label>
  )
}

/** How many filters (and a sort other than the default) a list request applies. */
export function activeFilterCount(request: ListRequest): number {
  const f = request.filters
  const set = [f.rating, f.warning, f.category, f.status, f.language, f.minWords, f.maxWords].filter((v) => v !== null).length
  return set + (f.excludeWarnings?.length ? 1 : 0) + (request.sort !== 'published' ? 1 : 0)
}

/**
 * A plain GET form: filtering works without JavaScript and every result page has a URL.
 * Folded in a <details> (open only while filters apply) so that on a phone the stories, not
 * the form, fill the first screen.
 */
export function FilterForm({request, action}: {request: ListRequest; action: string}) {
  const f = request.filters
  const active = activeFilterCount(request)
  return (
    <details className="filters-box" open={active > 0}>
      <summary>Filter and sort{active > 0 ? ` (${active} applied)` : ''}</summary>
      <form className="filters" method="get" action={action} aria-label="Filter stories">
        <label>
          Sort by
          <select name="sort" defaultValue={request.sort}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <Select name="rating" label="Rating" value={f.rating} options={RATING_SEED.map((r) => ({value: r.code, title: r.title}))} />
        <Select name="category" label="Category" value={f.category} options={CATEGORIES} />
        <Select name="status" label="Status" value={f.status} options={STORY_STATUSES} />
        <Select name="language" label="Language" value={f.language} options={LANGUAGES} />
        <label>
          Min. words
          <input type="number" name="min" min={0} step={100} defaultValue={f.minWords ?? undefined} inputMode="numeric" />
        </label>
        <label>
          Max. words
          <input type="number" name="max" min={0} step={100} defaultValue={f.maxWords ?? undefined} inputMode="numeric" />
        </label>
        <fieldset>
          <legend>Hide stories with</legend>
          {WARNINGS.filter((w) => w.value !== 'no-archive-warnings-apply').map((w) => (
            <label key={w.value}>
              <input type="checkbox" name="exclude" value={w.value} defaultChecked={(f.excludeWarnings ?? []).includes(w.value)} />
              {w.title}
            </label>
          ))}
        </fieldset>
        <div className="filter-actions">
          <button type="submit">Apply</button>
          {active > 0 && <a href={action}>Clear filters</a>}
        </div>
      </form>
    </details>
  )
}

function nextHref(path: string, request: ListRequest, page: StoryListPage): string | null {
  return page.next ? `${path}${listSearch(request, page.next)}` : null
}

export function BrowsePage({request, page}: {request: ListRequest; page: StoryListPage}) {
  return (
    <Layout title="Browse stories" description="Browse and filter every story in the archive.">
      <h1>Browse stories</h1>
      <FilterForm request={request} action="/stories" />
      <section aria-labelledby="results-heading">
        <h2 id="results-heading">{request.cursor ? 'More stories' : 'Stories'}</h2>
        <StoryList stories={page.stories} empty="No stories match these filters." />
        <Pager nextHref={nextHref('/stories', request, page)} />
      </section>
    </Layout>
  )
}

export function FandomPage({fandom, request, page, path}: {fandom: Fandom; request: ListRequest; page: StoryListPage; path: string}) {
  // Nothing to filter: say so plainly instead of "no stories match" under a filter form.
  const hasNone = page.stories.length === 0 && !request.cursor && activeFilterCount(request) === 0
  return (
    <Layout title={fandom.title} description={`Stories in ${fandom.title}.`}>
      <h1>{fandom.title}</h1>
      <p className="byline">
        {[mediaTypeTitle(fandom.mediaType), (fandom.aliases ?? []).length > 0 ? `also known as ${(fandom.aliases ?? []).join(', ')}` : '']
          .filter(Boolean)
          .join(' · ')}
      </p>
      {fandom.parent && (
        <p>
          Part of <a href={fandomPath(fandom.parent.slug)}>{fandom.parent.title}</a>
        </p>
      )}
      {(fandom.rightsHolders ?? []).length > 0 && <p className="disclaimer">Rights holders: {(fandom.rightsHolders ?? []).flatMap((holder) => (holder?.name ? [holder.name] : [])).join(', ')}</p>}
      {(fandom.children ?? []).length > 0 && (
        <section aria-labelledby="related-heading">
          <h2 id="related-heading">Related fandoms</h2>
          <ul>
            {fandom.children.map((c) => (
              <li key={c.slug}>
                <a href={fandomPath(c.slug)}>{c.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {hasNone ? (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">Stories</h2>
          <p>There are no stories in {fandom.title} yet.</p>
        </section>
      ) : (
        <>
          <FilterForm request={request} action={path} />
          <section aria-labelledby="results-heading">
            <h2 id="results-heading">Stories</h2>
            <StoryList stories={page.stories} empty="No stories in this fandom match these filters." />
            <Pager nextHref={nextHref(path, request, page)} />
          </section>
        </>
      )}
    </Layout>
  )
}

/**
 * The author's picture, when there is one the page may show: https only, since the page's
 * Content-Security-Policy allows images from https and nothing else off-site.
 */
export function AuthorAvatar({author}: {author: Pick<Author, 'name' | 'avatar'>}) {
  const url = author.avatar?.url
  if (typeof url !== 'string' || !/^https:\/\//i.test(url.trim())) return null
  const alt = author.avatar?.alt?.trim() || author.name || ''
  return <img className="avatar" src={url.trim()} alt={alt} width={96} height={96} />
}

export function AuthorPage({author, request, page, path}: {author: Author; request: ListRequest; page: StoryListPage; path: string}) {
  const links = (author.links ?? []).filter((l) => isSafeLinkHref(l.url))
  return (
    <Layout title={author.name} description={`Stories by ${author.name}.`}>
      <AuthorAvatar author={author} />
      <h1>{author.name}</h1>
      {(author.aliases ?? []).length > 0 && <p className="byline">Also writes as {(author.aliases ?? []).join(', ')}</p>}
      {Array.isArray(author.bio) && author.bio.length > 0 && (
        <section aria-labelledby="bio-heading">
          <h2 id="bio-heading">About</h2>
          <StoryText value={author.bio as PortableTextValue} idPrefix="bio-" />
        </section>
      )}
      {links.length > 0 && (
        <ul>
          {links.map((l) => (
            <li key={l._key}>
              <a href={l.url!} rel="noopener noreferrer me">
                {l.title || l.url}
              </a>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="results-heading">
        <h2 id="results-heading">Stories</h2>
        <StoryList stories={page.stories} empty="No stories yet." />
        <Pager nextHref={nextHref(path, request, page)} />
      </section>
    </Layout>
  )
}

export function TagPage({tag, request, page, path}: {tag: string; request: ListRequest; page: StoryListPage; path: string}) {
  return (
    <Layout title={`Stories tagged ${tag}`} description={`Stories tagged ${tag}.`}>
      <h1>Stories tagged “{tag}”</h1>
      <FilterForm request={request} action={path} />
      <section aria-labelledby="results-heading">
        <h2 id="results-heading">Stories</h2>
        <StoryList stories={page.stories} empty="No stories with this tag." />
        <Pager nextHref={nextHref(path, request, page)} />
      </section>
    </Layout>
  )
}

export function SeriesPage({series}: {series: Series}) {
  return (
    <Layout title={series.title} description={series.description}>
      <h1>{series.title}</h1>
      <p className="byline">{series.complete ? 'Complete series' : 'Series in progress'}</p>
      {series.description && <p>{series.description}</p>}
      <section aria-labelledby="results-heading">
        <h2 id="results-heading">Stories in order</h2>
        <StoryList stories={series.stories} />
      </section>
    </Layout>
  )
}

export function SearchPage({query, results}: {query: string; results: SearchResult[] | null}) {
  return (
    <Layout
      title={query ? `Search: ${query}` : 'Search'}
      description="Search stories by title, summary, tag, author or fandom."
      headerSearch={false}
    >
      <h1>Search</h1>
      <form role="search" aria-label="Search stories" method="get" action="/search">
        <label htmlFor="search-page-q">Title, summary, tag, author or fandom</label>{' '}
        <input id="search-page-q" type="search" name="q" defaultValue={query} />{' '}
        <button type="submit">Search</button>
      </form>
      {results && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">
            {results.length === 0 ? 'No results' : `${results.length} ${results.length === 1 ? 'result' : 'results'}`} for “{query}”
          </h2>
          <StoryList stories={results} empty="Try fewer or shorter words." />
        </section>
      )}
    </Layout>
  )
}

export function MessagePage({title, message}: {title: string; message: string}) {
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </Layout>
  )
}
