// The values an expression can reference while it is evaluated.
import type { JsonObject, JsonValue } from '../core/json.js';
import type { EvalServices } from './function-def.js';

/** Evaluation scope of one expression evaluation. */
export interface EvalScope {
  message: JsonValue;
  global: JsonObject;
  /** Account fields by label, resolved by the host before the step runs. */
  account: JsonObject;
  metadata: JsonObject;
  step: JsonObject;
  item: JsonValue;
  services: EvalServices;
}
