// The shared story rules. Studio, importer and site import from here and nowhere else.
export * from './wordCount'
export * from './portableText'
export * from './taxonomy'
export * from './ratings'
export * from './labels'
export * from './header'
export * from './links'
export * from './checks'
