// The CLI's commands, in help order.
import type { Command } from '../command.js';
import { docsCommand } from './docs.js';
import { runCommand } from './run.js';
import { schemaCommand } from './schema.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [runCommand, validateCommand, schemaCommand, docsCommand];
