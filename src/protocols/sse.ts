import { AppError } from '../errors/app-error.ts';

/** One Server-Sent Events frame. https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation */
export type SseFrame = { id?: string | number; event?: string; data: string };

/** Formats a frame: every line of `data` gets its own `data:` line; `id` and `event` may not contain a newline. */
export function formatSseFrame({ id, event, data }: SseFrame): string {
  const idText = id === undefined ? '' : String(id);
  const eventText = event ?? '';
  if (/[\r\n]/.test(idText) || /[\r\n]/.test(eventText)) throw new AppError('internal', { message: 'SSE id and event fields may not contain a newline.' });
  let frame = '';
  if (idText !== '') frame += `id: ${idText}\n`;
  if (eventText !== '') frame += `event: ${eventText}\n`;
  // JSON.stringify never emits a raw newline, so the common case skips the split.
  if (!/[\r\n]/.test(data)) return `${frame}data: ${data}\n\n`;
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** A comment line: ignored by clients, keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT = ': keep-alive\n\n';
