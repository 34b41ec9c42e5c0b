import {describe, expect, it} from 'vitest'
import {catalogueFromRows} from '../../rules'

describe('catalogueFromRows (the catalogue of the guard, importer and site from dataset rows)', () => {
  it.each([
    ['no answer', null],
    ['empty lists', {rightsHolders: [], fandoms: []}],
    ['null lists', {rightsHolders: null, fandoms: null}],
  ])('%s gives an empty catalogue', (_label, rows) => {
    const catalogue = catalogueFromRows(rows)
    expect(catalogue.holders.size).toBe(0)
    expect(catalogue.fandoms.size).toBe(0)
  })

  it('keeps well-formed rows, drops null and nameless ones, defaults the flags', () => {
    const catalogue = catalogueFromRows({
      rightsHolders: [null, {_id: 'rightsHolder.wolf', name: 'Wolf Entertainment', aliases: ['Wolf Films', 3 as never], successors: null}, {_id: 'rightsHolder.x'}],
      fandoms: [
        {_id: 'fandom.svu', title: 'Law & Order: SVU', aliases: ['SVU'], rightsHolders: ['rightsHolder.wolf'], parent: 7 as never},
        {_id: 'fandom.nameless'},
        null,
      ],
    })
    expect([...catalogue.holders.keys()]).toEqual(['rightsHolder.wolf'])
    expect(catalogue.holders.get('rightsHolder.wolf')).toEqual({_id: 'rightsHolder.wolf', name: 'Wolf Entertainment', aliases: ['Wolf Films'], successors: []})
    expect([...catalogue.fandoms.keys()]).toEqual(['fandom.svu'])
    expect(catalogue.fandoms.get('fandom.svu')).toMatchObject({parent: null, isOriginalWork: false, isRealPerson: false, rightsHolders: ['rightsHolder.wolf']})
    expect(catalogue.match('SVU').fandom?._id).toBe('fandom.svu')
  })
})
