// SQLite migration 007: nothing to do (PostgreSQL's 007 adds NOTIFY to the change feed; one SQLite file has no listeners to wake).
import type { Migration } from '../../sql/driver.js';

export const sqlite007: Migration = {
  version: 7,
  name: 'change-notify',
  sql: '-- PostgreSQL only: NOTIFY on change-feed rows.\n',
};
