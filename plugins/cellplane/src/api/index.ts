export * from './CellplaneStatusApi';
export * from './CellplaneStatusClient';
