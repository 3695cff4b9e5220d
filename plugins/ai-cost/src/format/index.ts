export {
  formatCount,
  formatCountWithShare,
  formatDayRange,
  formatInstant,
  formatMoney,
  formatPercent,
  formatShare,
} from './format';
export { compareDecimal } from './decimal';
