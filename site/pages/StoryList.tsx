import type {StoryCard as StoryCardData} from '../data'
import {displayDate} from '../../rules'
import {authorPath, fandomPath, formatWords, statusTitle, storyPath, tagPath, warningTitle} from '../labels'

export function StoryCard({story}: {story: StoryCardData}) {
  const authors = (story.authors ?? []).filter((a) => a !== null)
  const fandoms = (story.fandoms ?? []).filter((f) => f !== null)
  const headingId = `story-${story._id.replace(/[^a-zA-Z0-9_-]/g, '-')}`
  return (
    <li className="story-card">
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>
          <a href={storyPath(story.slug)}>{story.title}</a>
        </h3>
        <p className="card-meta">
          {authors.length > 0 && (
            <>
              by{' '}
              {authors.map((a, i) => (
                <span key={a._id}>
                  {i > 0 && ', '}
                  <a href={authorPath(a.slug)}>{a.name}</a>
                </span>
              ))}
              {' · '}
            </>
          )}
          {fandoms.map((f, i) => (
            <span key={f._id}>
              {i > 0 && ' × '}
              <a href={fandomPath(f.slug)}>{f.title}</a>
            </span>
          ))}
        </p>
        <p className="card-meta">
          {story.rating && (
            <span className={story.rating.requiresContentGate ? 'badge badge-gated' : 'badge'}>{story.rating.title}</span>
          )}{' '}
          {[
            (story.warnings ?? []).map(warningTitle).join(', '),
            formatWords(story.wordCount),
            story.chapterCount ? `${story.chapterCount} ${story.chapterCount === 1 ? 'chapter' : 'chapters'}` : '',
            // An imported story may not say whether it is finished: then nothing, not an empty "·  ·".
            statusTitle(story.status),
          ]
            .filter(Boolean)
            .join(' · ')}
          {story.publishedAt && (
            <>
              {' · '}
              <time dateTime={displayDate(story.publishedAt, story.originalPublication)}>{displayDate(story.publishedAt, story.originalPublication)}</time>
            </>
          )}
        </p>
        {story.summary && <p className="card-summary">{story.summary}</p>}
        {(story.tags ?? []).length > 0 && (
          <div className="card-meta">
            Tags:{' '}
            <ul className="tag-list">
              {(story.tags ?? []).map((t) => (
                <li key={t}>
                  <a href={tagPath(t)}>{t}</a>
                </li>
              ))}
            </ul>
          </div>
        )}
      </article>
    </li>
  )
}

export function StoryList({stories, empty = 'No stories yet.'}: {stories: StoryCardData[]; empty?: string}) {
  if (stories.length === 0) return <p>{empty}</p>
  return (
    <ul className="story-list">
      {stories.map((s) => (
        <StoryCard key={s._id} story={s} />
      ))}
    </ul>
  )
}

/** "Older stories" link carrying the cursor; no offset, so deep pages stay cheap and stable. */
export function Pager({nextHref}: {nextHref: string | null}) {
  if (!nextHref) return null
  return (
    <nav className="pager" aria-label="More stories">
      <ul>
        <li>
          <a href={nextHref} rel="next">
            More stories →
          </a>
        </li>
      </ul>
    </nav>
  )
}
