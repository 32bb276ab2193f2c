import type { Catalog } from '../../agents/catalog.ts';
import { assertNever } from '../../events/run-event.ts';
import type { RunRecord } from '../../events/run-record.ts';
import { createAgUiRenderer } from '../../protocols/ag-ui/ag-ui-renderer.ts';
import { createAiSdkUiRenderer } from '../../protocols/ai-sdk-ui/ai-sdk-ui-renderer.ts';
import { createNativeRenderer } from '../../protocols/native/native-renderer.ts';
import { createChatStreamRenderer } from '../../protocols/openai-chat/chat-stream-renderer.ts';
import { createResponsesStreamRenderer } from '../../protocols/openai-responses/responses-stream-renderer.ts';
import { createAgnoChatRenderer } from '../../protocols/seeds/agno-chat/to-agno-chat-frames.ts';
import { createAgnoMultiRenderer } from '../../protocols/seeds/agno-multi/to-agno-multi-frames.ts';
import { createAutogenRenderer } from '../../protocols/seeds/autogen/to-autogen-frames.ts';
import { createDedalusRenderer } from '../../protocols/seeds/dedalus/to-dedalus-frames.ts';
import { createOpenAiAgentsRenderer } from '../../protocols/seeds/openai-agents/to-openai-agents-frames.ts';
import type { StreamRenderer } from '../../protocols/stream-renderer.ts';
import { responseContext } from './protocols/openai-responses-routes.ts';
import { contextOf as agnoMultiContextOf } from './protocols/seeds/agno-multi-routes.ts';
import { profileOf } from './protocols/seeds/openai-agents-routes.ts';
import type { ReplayFormat } from './replay-format-names.ts';

/**
 * A fresh renderer of `format` for `run`: the same renderers the protocol routes stream with, so the frames are the
 * ones that route's client gets, whichever route started the run. Each format's per-stream context is read back from the run (its
 * metadata when the format's own route started it), so a run started there renders exactly as it streamed;
 * OpenAI chat always includes its usage chunk, since the replaying client cannot ask for it.
 */
export function replayRendererFor(format: ReplayFormat, run: RunRecord, catalog: Catalog): StreamRenderer {
  const metadata = (run.metadata ?? {}) as { threadId?: unknown; runId?: unknown; model?: unknown };
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value !== '' ? value : fallback);
  switch (format) {
    case 'native': return createNativeRenderer();
    case 'ag-ui': return createAgUiRenderer({ threadId: text(metadata.threadId, run.sessionId), runId: text(metadata.runId, run.id) });
    case 'ai-sdk-ui': return createAiSdkUiRenderer();
    case 'openai-chat': return createChatStreamRenderer({ id: `chatcmpl-${run.id}`, created: Math.floor(Date.parse(run.createdAt) / 1000), model: text(metadata.model, run.target.id), includeUsage: true });
    case 'openai-responses': return createResponsesStreamRenderer(responseContext(run));
    case 'agno-chat': return createAgnoChatRenderer();
    case 'agno-multi': return createAgnoMultiRenderer(agnoMultiContextOf(run));
    case 'dedalus': return createDedalusRenderer();
    case 'autogen': return createAutogenRenderer();
    case 'openai-agents': return createOpenAiAgentsRenderer({ describe: (id) => profileOf(catalog, id) });
    default: return assertNever(format);
  }
}
