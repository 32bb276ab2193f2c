import type { MultitaskPolicy } from '../../../../agents/multitask-policy.ts';

/**
 * The seed dialects' double-texting default: `enqueue`. The systems they replace ran two requests of one session
 * side by side; their clients may still send while a stream goes on (or retry a dropped one), and must keep working
 * unchanged, so a second message is answered after the first instead of refused, and the history stays one line.
 */
export const SEED_MULTITASK: MultitaskPolicy = 'enqueue';
