import {Fragment} from 'react'
import type {Chapter, Story} from '../data'
import {
  authorPath,
  categoryTitle,
  chapterPath,
  fandomPath,
  formatWords,
  isoDate,
  languageTitle,
  seriesPath,
  statusTitle,
  storyPath,
  tagPath,
  warningTitle,
} from '../labels'
import {displayDate, formatPartialDate} from '../../rules'
import {StoryText, type PortableTextValue} from '../portableText'
import {Layout} from './Layout'

function TagLinks({values}: {values: string[] | null | undefined}) {
  return (
    <ul className="tag-list">
      {(values ?? []).map((t) => (
        <li key={t}>
          <a href={tagPath(t)}>{t}</a>
        </li>
      ))}
    </ul>
  )
}

export function Byline({story}: {story: Story}) {
  const authors = (story.authors ?? []).filter((a) => a !== null)
  if (authors.length === 0) return null
  return (
    <p className="byline">
      by{' '}
      {authors.map((a, i) => (
        <span key={a._id}>
          {i > 0 && (i === authors.length - 1 ? ' and ' : ', ')}
          <a href={authorPath(a.slug)} rel="author">
            {a.name}
          </a>
        </span>
      ))}
    </p>
  )
}

function StoryMeta({story}: {story: Story}) {
  const fandoms = (story.fandoms ?? []).filter((f) => f !== null)
  const chapters = story.chapters ?? []
  return (
    <dl className="meta" aria-label="Story details">
      <dt>Rating</dt>
      <dd>{story.rating?.title ?? 'Not rated'}</dd>
      <dt>Warnings</dt>
      <dd>{(story.warnings ?? []).map(warningTitle).join(', ') || '—'}</dd>
      {(story.categories ?? []).length > 0 && (
        <>
          <dt>Categories</dt>
          <dd>{(story.categories ?? []).map(categoryTitle).join(', ')}</dd>
        </>
      )}
      <dt>{fandoms.length > 1 ? 'Fandoms' : 'Fandom'}</dt>
      <dd>
        <ul className="tag-list">
          {fandoms.map((f) => (
            <li key={f._id}>
              <a href={fandomPath(f.slug)}>{f.title}</a>
            </li>
          ))}
        </ul>
      </dd>
      {(story.relationships ?? []).length > 0 && (
        <>
          <dt>Relationships</dt>
          <dd>
            <TagLinks values={story.relationships} />
          </dd>
        </>
      )}
      {(story.characters ?? []).length > 0 && (
        <>
          <dt>Characters</dt>
          <dd>
            <TagLinks values={story.characters} />
          </dd>
        </>
      )}
      {(story.tags ?? []).length > 0 && (
        <>
          <dt>Tags</dt>
          <dd>
            <TagLinks values={story.tags} />
          </dd>
        </>
      )}
      <dt>Language</dt>
      <dd>{languageTitle(story.language)}</dd>
      {statusTitle(story.status) && (
        <>
          <dt>Status</dt>
          <dd>{statusTitle(story.status)}</dd>
        </>
      )}
      <dt>Words</dt>
      <dd>{formatWords(story.wordCount)}</dd>
      {chapters.length > 0 && (
        <>
          <dt>Chapters</dt>
          <dd>{chapters.length}</dd>
        </>
      )}
      {story.publishedAt && (
        <>
          <dt>Published</dt>
          <dd>
            <time dateTime={displayDate(story.publishedAt, story.originalPublication)}>{displayDate(story.publishedAt, story.originalPublication)}</time>
          </dd>
        </>
      )}
      {story.updatedAt && displayDate(story.updatedAt, story.originalPublication) !== displayDate(story.publishedAt, story.originalPublication) && (
        <>
          <dt>Updated</dt>
          <dd>
            <time dateTime={isoDate(story.updatedAt)}>{isoDate(story.updatedAt)}</time>
          </dd>
        </>
      )}
      {(story.series ?? []).filter((e) => e?.series).map((e) => (
        <Fragment key={e._key}>
          <dt>Series</dt>
          <dd>
            Part {e.position} of <a href={seriesPath(e.series!.slug)}>{e.series!.title}</a>
          </dd>
        </Fragment>
      ))}
      {/* Said once: a story imported with only its first publication date has no other date to show. */}
      {story.originalPublication?.year && formatPartialDate(story.originalPublication) !== displayDate(story.publishedAt, story.originalPublication) && (
        <>
          <dt>First published</dt>
          <dd>
            <time dateTime={formatPartialDate(story.originalPublication)}>{formatPartialDate(story.originalPublication)}</time>
          </dd>
        </>
      )}
    </dl>
  )
}

function SeriesNav({story}: {story: Story}) {
  const entries = (story.series ?? []).filter((e) => e?.series)
  if (entries.length === 0) return null
  return (
    <>
      {entries.map((entry) => (
        <nav key={entry._key} className="series-nav" aria-label={`Series: ${entry.series!.title}`}>
          <span>
            {entry.previous ? (
              <a href={storyPath(entry.previous.slug)} rel="prev">
                ← {entry.previous.title}
              </a>
            ) : null}
          </span>
          <span>
            Part {entry.position} of <a href={seriesPath(entry.series!.slug)}>{entry.series!.title}</a>
          </span>
          <span>
            {entry.next ? (
              <a href={storyPath(entry.next.slug)} rel="next">
                {entry.next.title} →
              </a>
            ) : null}
          </span>
        </nav>
      ))}
    </>
  )
}

/** Title, byline, details, summary and disclaimer: shared by the story page and the gate. */
export function StoryHeader({story}: {story: Story}) {
  return (
    <header>
      <h1>{story.title}</h1>
      <Byline story={story} />
      <StoryMeta story={story} />
      {story.summary && (
        <section className="summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          {story.summary.split(/\n\s*\n/).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </section>
      )}
      {story.disclaimer && <p className="disclaimer">{story.disclaimer}</p>}
    </header>
  )
}

function Notes({value, heading, id}: {value: unknown; heading: string; id: string}) {
  if (!Array.isArray(value) || value.length === 0) return null
  return (
    <section className="notes" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <StoryText value={value as PortableTextValue} idPrefix={`${id}-`} />
    </section>
  )
}

export function StoryPage({story}: {story: Story}) {
  const chapters = story.chapters ?? []
  const body = (story.body ?? []) as PortableTextValue
  return (
    <Layout title={story.title} description={story.summary} lang={story.language}>
      <article className="reading">
        <StoryHeader story={story} />
        <Notes value={story.notes} heading="Notes" id="notes" />
        {chapters.length > 0 ? (
          <nav aria-labelledby="contents-heading" id="contents">
            <h2 id="contents-heading">Contents</h2>
            <ol>
              {chapters.map((c, i) => (
                <li key={c._id}>
                  <a href={chapterPath(story.slug, i + 1)}>{c.title || `Chapter ${i + 1}`}</a>
                </li>
              ))}
            </ol>
            <p>
              <a href={chapterPath(story.slug, 1)}>Start reading →</a>
            </p>
          </nav>
        ) : (
          <section className="story-text" aria-label="Story text">
            <StoryText value={body} />
          </section>
        )}
        <Notes value={story.endNotes} heading="End notes" id="end-notes" />
        <SeriesNav story={story} />
      </article>
    </Layout>
  )
}

function ChapterNav({story, number, label}: {story: Story; number: number; label: string}) {
  const chapters = story.chapters ?? []
  return (
    <nav className="chapter-nav" aria-label={label}>
      <ul>
        <li>
          {number > 1 ? (
            <a href={chapterPath(story.slug, number - 1)} rel="prev">
              ← Previous chapter
            </a>
          ) : (
            <span aria-hidden="true"> </span>
          )}
        </li>
        <li>
          <a href={`${storyPath(story.slug)}#contents`}>Contents</a>
        </li>
        <li>
          {number < chapters.length ? (
            <a href={chapterPath(story.slug, number + 1)} rel="next">
              Next chapter →
            </a>
          ) : (
            <span aria-hidden="true"> </span>
          )}
        </li>
      </ul>
    </nav>
  )
}

export function ChapterPage({story, chapter, number}: {story: Story; chapter: Chapter; number: number}) {
  const count = story.chapters?.length ?? 0
  const heading = chapter.title ? `Chapter ${number}: ${chapter.title}` : `Chapter ${number}`
  return (
    <Layout title={`${story.title}, ${heading}`} description={chapter.summary || story.summary} lang={story.language}>
      <article className="reading">
        <header>
          <p className="byline">
            <a href={storyPath(story.slug)}>{story.title}</a> · chapter {number} of {count}
          </p>
          <h1>{heading}</h1>
          <Byline story={story} />
        </header>
        <ChapterNav story={story} number={number} label="Chapters (top)" />
        {chapter.summary && (
          <section className="summary" aria-labelledby="chapter-summary-heading">
            <h2 id="chapter-summary-heading">Chapter summary</h2>
            <p>{chapter.summary}</p>
          </section>
        )}
        {number === 1 && <Notes value={story.notes} heading="Story notes" id="story-notes" />}
        <Notes value={chapter.notes} heading="Chapter notes" id="chapter-notes" />
        <section className="story-text" aria-label="Chapter text">
          <StoryText value={(chapter.body ?? []) as PortableTextValue} />
        </section>
        <Notes value={chapter.endNotes} heading="Chapter end notes" id="chapter-end-notes" />
        {number === count && <Notes value={story.endNotes} heading="Story end notes" id="story-end-notes" />}
        <ChapterNav story={story} number={number} label="Chapters (bottom)" />
      </article>
    </Layout>
  )
}

export function GatePage({story, returnPath}: {story: Story; returnPath: string}) {
  return (
    <Layout title={story.title} description={story.summary} lang={story.language}>
      <article className="reading">
        <StoryHeader story={story} />
        <section className="gate" aria-labelledby="gate-heading">
          <h2 id="gate-heading">This story is rated {story.rating?.title ?? 'Not Rated'}</h2>
          <p>
            {story.rating?.description ?? 'It may contain content unsuitable for some readers.'} Please confirm you are
            {' '}
            {story.rating?.minimumAge ? `at least ${story.rating.minimumAge} years old` : 'an adult'} and want to read it.
          </p>
          <form method="post" action="/gate">
            <input type="hidden" name="return" value={returnPath} />
            <button type="submit">Yes, show me the story</button>
          </form>{' '}
          <a href="/">No, take me back</a>
        </section>
      </article>
    </Layout>
  )
}
