import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { AppError } from '../../errors/app-error.ts';

/**
 * An image the user sent with the message: a `data:` URL or an http(s) URL, passed to the model as a file
 * part (the provider spec's image input). Only for models whose provider declares `acceptsImages`.
 */
export type ImageInput = { url: string; mediaType?: string };

/** Media type of a `data:` URL, else the given one, else a generic image type the providers accept. */
function mediaTypeOf(image: ImageInput): string {
  const declared = /^data:([^;,]+)[;,]/.exec(image.url)?.[1];
  return declared ?? image.mediaType ?? 'image/*';
}

/** Adds the images to the last user message of the prompt, after its text. */
export function attachImages(prompt: LanguageModelV4Prompt, images: readonly ImageInput[]): void {
  if (images.length === 0) return;
  const last = prompt.findLast((message) => message.role === 'user');
  if (!last || last.role !== 'user') return;
  for (const image of images) last.content.push({ type: 'file', mediaType: mediaTypeOf(image), data: { type: 'url', url: new URL(image.url) } });
}

/** Refuses (422) images for a team (its members get sub-tasks, not the user's message) or a model that cannot take them. */
export function assertAcceptsImages(target: { kind: 'agent' | 'team' }, model: string, accepts: boolean): void {
  if (target.kind === 'team') throw new AppError('images_not_supported', { message: 'Image inputs are offered for agents, not teams.' });
  if (!accepts) throw new AppError('images_not_supported', { message: `The model '${model}' does not take image inputs; pick a model whose provider does (OpenAI, Anthropic, OpenRouter, demo).`, details: { model } });
}
