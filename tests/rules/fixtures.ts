import type {FandomForChecks} from '../../rules'

export const HP: FandomForChecks = {
  title: 'Harry Potter',
  aliases: ['HP', 'Harry Potter - J. K. Rowling'],
  rightsHolders: [{name: 'J.K. Rowling', aliases: ['JKR', 'Robert Galbraith']}, 'Warner Bros. Entertainment Inc.', 'Bloomsbury'],
}
export const BUFFY: FandomForChecks = {
  title: 'Buffy the Vampire Slayer',
  aliases: ['BtVS'],
  rightsHolders: ['Joss Whedon', 'Mutant Enemy', '20th Century Fox'],
}
export const SHERLOCK: FandomForChecks = {
  title: 'Sherlock (TV)',
  aliases: ['BBC Sherlock'],
  rightsHolders: ['Steven Moffat & Mark Gatiss', 'Hartswood Films'],
}
export const NARUTO: FandomForChecks = {title: 'Naruto', rightsHolders: ['Masashi Kishimoto', 'Shueisha']}
export const LOTR: FandomForChecks = {
  title: 'The Lord of the Rings',
  aliases: ['LotR'],
  rightsHolders: ['J.R.R. Tolkien', 'Tolkien Estate', 'Middle-earth Enterprises'],
}
export const MCU: FandomForChecks = {
  title: 'Marvel Cinematic Universe',
  aliases: ['MCU'],
  rightsHolders: ['Marvel Studios', 'The Walt Disney Company'],
}
export const SAILOR_MOON: FandomForChecks = {
  title: 'Bishoujo Senshi Sailor Moon',
  aliases: ['Sailor Moon'],
  rightsHolders: ['Naoko Takeuchi', 'Kodansha', 'Toei Animation Co., Ltd.'],
}
export const POKEMON: FandomForChecks = {title: 'Pokémon', rightsHolders: ['Nintendo', 'Game Freak', 'The Pokémon Company']}
export const STAR_TREK: FandomForChecks = {title: 'Star Trek: The Original Series', aliases: ['TOS'], rightsHolders: ['CBS Studios Inc.', 'Paramount']}
export const CRITICAL_ROLE: FandomForChecks = {title: 'Critical Role'}
export const ORIGINAL: FandomForChecks = {title: 'Original Work', isOriginalWork: true}
export const ORIGINAL_2: FandomForChecks = {title: 'Original Poetry', isOriginalWork: true}

/** A storyBody paragraph block. */
export function para(text: string, key = Math.random().toString(36).slice(2, 10)) {
  return {_type: 'block', _key: key, style: 'normal', markDefs: [], children: [{_type: 'span', _key: `${key}s`, text, marks: []}]}
}
