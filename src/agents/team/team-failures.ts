import { AppError } from '../../errors/app-error.ts';
import type { PublicError } from '../../events/run-event.ts';
import type { MemberOutcome, TeamContext } from './team-context.ts';

/** One member's failure as `team_failed` reports it in `details.failures`. */
export type MemberFailure = { member: string; code: string; message: string };

// Failures of the model provider itself, after the model wrapper's retries gave up: the same request to the same
// model from another member would fail the same way, so it is not sent.
const UPSTREAM_CODES = new Set(['upstream_error', 'upstream_auth', 'model_unavailable', 'upstream_timeout']);

/**
 * What went wrong in one team run: every member failure (for `team_failed`'s details) and the models that failed
 * upstream. A member whose model already failed upstream in this team is not run: a team of N members on a dead
 * provider makes one member's attempts (1 + retries), not N times that per round.
 */
export class TeamFailures {
  readonly failures: MemberFailure[] = [];
  readonly #brokenModels = new Map<string, PublicError>();

  record(member: string, modelName: string | undefined, error: PublicError): void {
    this.failures.push({ member, code: error.code, message: error.message });
    if (modelName && UPSTREAM_CODES.has(error.code) && !this.#brokenModels.has(modelName)) this.#brokenModels.set(modelName, error);
  }

  /** The upstream failure of `modelName` earlier in this team run, if any. */
  brokenModel(modelName: string): PublicError | undefined {
    return this.#brokenModels.get(modelName);
  }
}

/**
 * Ends the team as `team_failed` when none of `outcomes` is usable: there is nothing to synthesise, route to or hand
 * to the next stage, and "completed" with an empty or placeholder answer would hide the failure.
 */
export function assertUsableOutcome(context: TeamContext, outcomes: readonly MemberOutcome[], where = ''): void {
  if (outcomes.some((outcome) => !outcome.error)) return;
  const failures = context.failures.failures;
  const summary = failures.map((failure) => `${failure.member}: ${failure.message}`).join('; ');
  throw new AppError('team_failed', {
    message: `No member of team '${context.team.id}' produced a result${where}. ${summary}`.trim(),
    details: { team: context.team.id, failures },
  });
}
