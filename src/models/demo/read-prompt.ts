import type { LanguageModelV4Prompt, LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import type { MemberSection } from './extract-sections.ts';
import { hashText } from './hash-text.ts';

/** A tool result the model can see, with the input of the call that produced it when the prompt has it. */
export type SeenToolResult = {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** The output's value: JSON as given, text as a string, content parts joined into one string. */
  value: unknown;
  isError: boolean;
};

/** What the demo model reads from a prompt. */
export type PromptView = {
  /** All system messages, joined by blank lines. */
  system: string;
  /** The text of the last user message (empty when there is none). */
  userText: string;
  /** Images (file parts with an image media type) in the last user message. */
  imageCount: number;
  /** Tool results after the last user message, in prompt order. */
  toolResults: SeenToolResult[];
  /** Earlier group-chat messages (assistant text written as `<Speaker>: <text>`) before the last user message. */
  transcript: MemberSection[];
  /** 1 + the number of assistant messages in the prompt: which step of the conversation this call is. */
  step: number;
  /** Characters of text in the prompt; the basis of the input token estimate. */
  promptChars: number;
  /** Digest of the whole prompt, for ids that differ between agents. */
  promptHash: string;
};

// How the team's group chat writes earlier turns into the history: "PlanningAgent: <text>".
const SPEAKER = /^([A-Za-z][\w#.-]{0,40}): ([\s\S]+)$/;

/** Reads the parts of a provider-spec prompt that the demo model's rules look at. */
export function readPrompt(prompt: LanguageModelV4Prompt): PromptView {
  const systemTexts: string[] = [];
  const allText: string[] = [];
  const toolInputs = new Map<string, unknown>();
  let userText = '';
  let imageCount = 0;
  let toolResults: SeenToolResult[] = [];
  let assistantCount = 0;
  const transcript: MemberSection[] = [];
  let pendingTranscript: MemberSection[] = [];

  for (const message of prompt) {
    if (message.role === 'system') {
      systemTexts.push(message.content);
      allText.push(message.content);
      continue;
    }
    if (message.role === 'user') {
      userText = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
      imageCount = message.content.filter((part) => part.type === 'file' && part.mediaType.startsWith('image/')).length;
      allText.push(userText);
      toolResults = []; // only results after the last user message count as "already looked up"
      transcript.push(...pendingTranscript);
      pendingTranscript = [];
      continue;
    }
    if (message.role === 'assistant') assistantCount++;
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') allText.push(part.text);
      if (message.role === 'assistant' && part.type === 'text') {
        const spoken = SPEAKER.exec(part.text);
        if (spoken) pendingTranscript.push({ member: spoken[1], content: spoken[2] });
      }
      if (part.type === 'tool-call') {
        toolInputs.set(part.toolCallId, part.input);
        allText.push(part.toolName, stringify(part.input));
      }
      if (part.type === 'tool-result') {
        const { value, isError } = readOutput(part.output);
        allText.push(stringify(value));
        toolResults.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: toolInputs.get(part.toolCallId), value, isError });
      }
    }
  }

  const joined = allText.join('\n');
  return {
    system: systemTexts.join('\n\n'),
    userText,
    imageCount,
    toolResults,
    transcript,
    step: assistantCount + 1,
    promptChars: joined.length,
    promptHash: hashText(joined),
  };
}

function readOutput(output: LanguageModelV4ToolResultOutput): { value: unknown; isError: boolean } {
  switch (output.type) {
    case 'text':
    case 'json':
      return { value: output.value, isError: false };
    case 'error-text':
    case 'error-json':
      return { value: output.value, isError: true };
    case 'execution-denied':
      return { value: output.reason ?? 'The tool call was denied.', isError: true };
    case 'content':
      return { value: output.value.map((item) => (item.type === 'text' ? item.text : '')).join('\n'), isError: false };
    default:
      return { value: null, isError: false };
  }
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
