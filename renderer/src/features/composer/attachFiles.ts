import type { Uploader } from '../../api/upload';
import { useComposerStore } from './composerStore';

const imagePreview = (file: File) => (file.type.startsWith('image/') ? URL.createObjectURL(file) : null);

/** Stages files for a thread's next message, from the picker, a paste or a drop. */
export function attachFiles(threadId: string, files: File[], upload: Uploader): void {
  if (files.length) void useComposerStore.getState().addFiles(threadId, files, upload, imagePreview);
}
