export { PlatformPage } from './PlatformPage';
export { CellplanePlatformClient, cellplanePlatformApiRef } from './platformApi';
