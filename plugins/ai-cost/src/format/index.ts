export {
  formatCount,
  formatCountWithShare,
  formatInstant,
  formatMoney,
  formatShare,
} from './format';
export { compareDecimal } from './decimal';
