import {author} from './author'
import {chapter} from './chapter'
import {fandom} from './fandom'
import {importSource} from './importSource'
import {partialDate} from './partialDate'
import {rating} from './rating'
import {rightsHolder} from './rightsHolder'
import {series} from './series'
import {seriesEntry} from './seriesEntry'
import {story} from './story'
import {authorsNote, sceneBreak, storyBody} from './storyBody'
import {storyNotes} from './storyNotes'

export const documentTypes = [story, chapter, author, fandom, rightsHolder, rating, series]
export const objectTypes = [storyBody, storyNotes, sceneBreak, authorsNote, partialDate, seriesEntry, importSource]
export const schemaTypes = [...documentTypes, ...objectTypes]
