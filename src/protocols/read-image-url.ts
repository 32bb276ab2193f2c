import type { ImageInput } from '../agents/agent/image-input.ts';
import { AppError } from '../errors/app-error.ts';

/**
 * An image part's URL as an image input: a `data:image/...` URL or an http(s) URL. Anything else (a file id,
 * a relative path, a non-image data URL) is refused with 422 naming the field.
 */
export function readImageUrl(url: unknown, field: string, mediaType?: string): ImageInput {
  if (typeof url === 'string' && (/^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=\s]+$/.test(url) || /^https?:\/\/[^\s]+$/.test(url)) && URL.canParse(url)) {
    return { url, ...(mediaType ? { mediaType } : {}) };
  }
  const message = 'An image must be a data:image/...;base64 URL or an http(s) URL.';
  throw new AppError('validation_failed', { message: `${field}: ${message}`, details: { fields: [{ field, message }] } });
}
