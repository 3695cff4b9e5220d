export { formatCount, formatMoney, formatShare } from './format';
export { compareDecimal } from './decimal';
