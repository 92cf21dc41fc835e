export { didYouMean, suggestion } from '@warren/core';
