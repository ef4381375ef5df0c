import { placeholder } from '@newsroom/esdb-server';
console.log('store', placeholder);
