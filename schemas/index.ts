import {author} from './author'
import {chapter} from './chapter'
import {fandom} from './fandom'
import {importSource} from './importSource'
import {partialDate} from './partialDate'
import {rating} from './rating'
import {series} from './series'
import {seriesEntry} from './seriesEntry'
import {story} from './story'
import {authorsNote, sceneBreak, storyBody} from './storyBody'
import {storyNotes} from './storyNotes'

export const documentTypes = [story, chapter, author, fandom, rating, series]
export const objectTypes = [storyBody, storyNotes, sceneBreak, authorsNote, partialDate, seriesEntry, importSource]
export const schemaTypes = [...documentTypes, ...objectTypes]
