// PostgreSQL migration 007: every change-feed row sends NOTIFY pipegate_changes '<environment>', so nodes wake at once.
import type { Migration } from '../../sql/driver.js';

/** The channel nodes LISTEN on (src/store/postgres/change-listener.ts). */
export const CHANGE_CHANNEL = 'pipegate_changes';

/*
 * A row trigger, so every writer (a node, the CLI, an older Pipegate) notifies. Notifications are sent
 * at commit, and identical ones within a transaction are collapsed into one, so a bulk change costs
 * one notification per environment.
 */
export const postgres007: Migration = {
  version: 7,
  name: 'change-notify',
  sql: `
CREATE OR REPLACE FUNCTION pipegate_notify_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('${CHANGE_CHANNEL}', NEW.environment);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER changes_notify AFTER INSERT ON changes
  FOR EACH ROW EXECUTE FUNCTION pipegate_notify_change();
`,
};
