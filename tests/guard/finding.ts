import type {Finding, FindingCode} from '../../rules'

/** A finding as the rules would report it, for tests of what the plugin does with findings. */
export const finding = (code: FindingCode, level: Finding['level']): Finding => ({
  code,
  level,
  field: code.startsWith('summary') ? 'summary' : 'disclaimer',
  message: `${code} message`,
  hint: `${code} hint`,
})
