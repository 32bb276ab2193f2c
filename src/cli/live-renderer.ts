import type { RunEvent } from '../events/run-event.ts';

/** Where the renderer writes; a TTY gets the live region (spinners, partial lines), anything else plain lines. */
export type Output = { write(text: string): void; isTTY?: boolean; columns?: number };

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const LANE_COLORS = [36, 35, 33, 32, 34, 31];
const style = (code: string, text: string, on: boolean) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

type Lane = { key: string; label: string; color: number; text: string; kind: 'text' | 'reasoning' | undefined };
type RunningTool = { toolCallId: string; line: string };

/**
 * Renders a run's events in a terminal: text as it streams, reasoning dimmed, one spinner line per running
 * tool and then its result, and one lane per team member (each line prefixed with the member's name). On a TTY
 * the unfinished lines and the spinners form a live region at the bottom that is redrawn in place; finished
 * lines scroll above it. Without a TTY only finished lines are written, without colours.
 */
export class LiveRenderer {
  #out: Output;
  #isLive: boolean;
  #lanes = new Map<string, Lane>();
  #tools = new Map<string, RunningTool>();
  #liveLines = 0;
  #frame = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #rootName: string | undefined;

  constructor(out: Output) {
    this.#out = out;
    this.#isLive = Boolean(out.isTTY);
  }

  handle(event: RunEvent): void {
    const lane = this.#laneOf(event);
    const committed: string[] = [];
    switch (event.type) {
      case 'run.started':
        this.#rootName = event.agent.name;
        committed.push(style('2', `run ${event.runId} · ${event.agent.name}`, this.#isLive));
        break;
      case 'reasoning.delta':
        committed.push(...this.#append(lane, 'reasoning', event.delta));
        break;
      case 'message.delta':
        committed.push(...this.#append(lane, 'text', event.delta));
        break;
      case 'message.completed':
        committed.push(...this.#flush(lane));
        break;
      case 'tool.started':
        committed.push(...this.#flush(lane));
        this.#tools.set(event.toolCallId, { toolCallId: event.toolCallId, line: `${this.#prefix(lane)}${event.toolName}(${short(JSON.stringify(event.args), 60)})` });
        this.#startSpinner();
        break;
      case 'tool.completed': {
        const running = this.#tools.get(event.toolCallId);
        this.#tools.delete(event.toolCallId);
        committed.push(`${style('32', '✓', this.#isLive)} ${running?.line ?? event.toolName} → ${short(JSON.stringify(event.result), 100)} ${style('2', `(${event.durationMs} ms)`, this.#isLive)}`);
        break;
      }
      case 'tool.failed': {
        const running = this.#tools.get(event.toolCallId);
        this.#tools.delete(event.toolCallId);
        committed.push(`${style('31', '✗', this.#isLive)} ${running?.line ?? event.toolName}: ${event.error.message}`);
        break;
      }
      case 'team.routed':
        committed.push(...this.#flush(lane), style('2', `${this.#prefix(lane)}→ ${event.memberIds.join(', ')}${event.reason ? `: ${event.reason}` : ''}`, this.#isLive));
        break;
      case 'agent.completed':
        committed.push(...this.#flush(lane));
        break;
      case 'run.awaiting_input':
      case 'input.received':
        for (const open of this.#lanes.values()) committed.push(...this.#flush(open));
        for (const item of event.pending) {
          const what = item.kind === 'question' ? `asks: ${item.question ?? ''}` : `wants to call ${item.toolName}(${short(JSON.stringify(item.args), 60)})`;
          const how = item.kind === 'question' ? `agentstream answer ${event.runId} ${item.toolCallId} "…"` : `agentstream approve|reject ${event.runId} ${item.toolCallId}`;
          committed.push(`${style('33', '?', this.#isLive)} ${this.#prefix(this.#laneOf({ ...event, agent: item.agent }))}${what} ${style('2', `(${how})`, this.#isLive)}`);
        }
        break;
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled':
        for (const open of this.#lanes.values()) committed.push(...this.#flush(open));
        this.#tools.clear();
        committed.push(this.#ending(event));
        this.#stopSpinner();
        break;
      default:
        break; // usage, progress, agent.started and the rest change nothing on screen
    }
    if (this.#tools.size === 0) this.#stopSpinner();
    this.#draw(committed);
  }

  /** Stops the spinner timer (the process can exit) and leaves the cursor below the output. */
  close(): void {
    this.#stopSpinner();
    this.#draw([]);
  }

  #laneOf(event: RunEvent): Lane {
    // A member's events carry its path inside the team; the run's own agent (empty path) is the unnamed lane.
    const key = event.agent.path.join('/');
    let lane = this.#lanes.get(key);
    if (!lane) {
      // Fan-out copies of one member share a name; their path segment (`searcher#2`) tells them apart.
      const copy = /#(\d+)$/.exec(event.agent.path.at(-1) ?? '');
      lane = { key, label: key ? `${event.agent.name}${copy ? ` #${copy[1]}` : ''}` : '', color: LANE_COLORS[this.#lanes.size % LANE_COLORS.length], text: '', kind: undefined };
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  #prefix(lane: Lane): string {
    return lane.label ? `${style(String(lane.color), `[${lane.label}]`, this.#isLive)} ` : '';
  }

  /** Adds streamed text to a lane; returns the lines it completed. A switch between reasoning and text ends the line. */
  #append(lane: Lane, kind: 'text' | 'reasoning', delta: string): string[] {
    const committed = lane.kind && lane.kind !== kind ? this.#flush(lane) : [];
    lane.kind = kind;
    lane.text += delta;
    const width = this.#width(lane);
    for (;;) {
      const newline = lane.text.indexOf('\n');
      if (newline >= 0) {
        committed.push(this.#line(lane, lane.text.slice(0, newline)));
        lane.text = lane.text.slice(newline + 1);
      } else if (this.#isLive && lane.text.length > width) {
        // A partial line must fit the terminal, or redrawing the live region would count lines wrongly.
        const cut = lane.text.lastIndexOf(' ', width) > 0 ? lane.text.lastIndexOf(' ', width) : width;
        committed.push(this.#line(lane, lane.text.slice(0, cut)));
        lane.text = lane.text.slice(cut).trimStart();
      } else break;
    }
    return committed;
  }

  #flush(lane: Lane): string[] {
    const committed = lane.text ? [this.#line(lane, lane.text)] : [];
    lane.text = '';
    lane.kind = undefined;
    return committed;
  }

  #line(lane: Lane, text: string): string {
    return `${this.#prefix(lane)}${lane.kind === 'reasoning' ? style('2', text, this.#isLive) : text}`;
  }

  #width(lane: Lane): number {
    return Math.max(20, (this.#out.columns ?? 100) - (lane.label ? lane.label.length + 3 : 0) - 1);
  }

  #ending(event: RunEvent): string {
    if (event.type === 'run.completed') return style('2', `completed · ${event.usage.totalTokens} tokens`, this.#isLive);
    if (event.type === 'run.failed') return style('31', `failed: ${event.error.message}`, this.#isLive);
    return style('33', `cancelled`, this.#isLive);
  }

  #draw(committed: string[]): void {
    if (!this.#isLive) {
      if (committed.length > 0) this.#out.write(`${committed.join('\n')}\n`);
      return;
    }
    const live = [
      ...[...this.#lanes.values()].filter((lane) => lane.text).map((lane) => this.#line(lane, lane.text)),
      ...[...this.#tools.values()].map((tool) => `${style('36', SPINNER[this.#frame % SPINNER.length], true)} ${tool.line}`),
    ];
    if (committed.length === 0 && live.length === 0 && this.#liveLines === 0) return;
    // Up to the start of the live region, clear it, then write what finished and the new live region.
    const up = this.#liveLines > 0 ? `\x1b[${this.#liveLines}F` : '\r';
    this.#out.write(`${up}\x1b[J${committed.map((line) => `${line}\n`).join('')}${live.join('\n')}${live.length > 0 ? '\n' : ''}`);
    this.#liveLines = live.length;
  }

  #startSpinner(): void {
    if (!this.#isLive || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#frame += 1;
      this.#draw([]);
    }, 80);
  }

  #stopSpinner(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get rootName(): string | undefined {
    return this.#rootName;
  }
}

function short(text: string | undefined, max: number): string {
  const value = text ?? '';
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
