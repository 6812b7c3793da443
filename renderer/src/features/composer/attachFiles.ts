import type { Uploader } from '../../api/upload';
import { useComposerStore } from './composerStore';

/** A thumbnail for what the engine's content sniffing found to be a picture; anything else gets a file icon. */
export const imagePreview = (file: File, sniffedType: string) => (sniffedType.startsWith('image/') ? URL.createObjectURL(file) : null);

/** Stages files for a thread's next message, from the picker, a paste or a drop. */
export function attachFiles(threadId: string, files: File[], upload: Uploader): void {
  if (files.length) void useComposerStore.getState().addFiles(threadId, files, upload, imagePreview);
}
