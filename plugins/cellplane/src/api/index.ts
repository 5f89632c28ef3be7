export * from './CellplaneStatusApi';
export * from './CellplaneStatusClient';
export * from './releases';
export * from './commits';
export * from './trace';
export * from './pipeline';
export * from './activity';
