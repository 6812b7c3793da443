import { stagedAttachment, type StagedAttachment } from '../../../shared/ipc/schemas';
import { browserModeToken } from './transport';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** Stages one file for an MMS: the raw bytes go to the core's upload URL (never over RPC); the answer names the staged attachment. */
export type Uploader = (file: File, onProgress: (progress: UploadProgress) => void) => Promise<StagedAttachment>;

/**
 * The upload URL is relative in both modes: Electron serves the page and /upload on app://switchboard, browser
 * mode on the host, which also wants the per-run token (transport.ts keeps it).
 */
const UPLOAD_URL = '/upload';

function errorText(xhr: XMLHttpRequest, name: string): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: string }; message?: string };
    const message = body.error?.message ?? body.message;
    if (message) return message.includes(name) ? message : `${name}: ${message}`;
  } catch {
    // Not JSON: fall through to the status line.
  }
  return `${name}: upload failed (${xhr.status === 0 ? 'no connection' : `HTTP ${xhr.status}`})`;
}

/** XMLHttpRequest rather than fetch: it is the one browser API that reports upload progress. */
export const uploadFile: Uploader = (file, onProgress) =>
  new Promise((resolve, reject) => {
    const token = browserModeToken();
    const xhr = new XMLHttpRequest();
    xhr.open('POST', UPLOAD_URL);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    // Header values must be ASCII: the name travels percent-encoded.
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () => reject(new Error(errorText(xhr, file.name)));
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(new Error(errorText(xhr, file.name)));
      const parsed = stagedAttachment.safeParse(JSON.parse(xhr.responseText));
      if (parsed.success) resolve(parsed.data);
      else reject(new Error(`${file.name}: the upload answer was not understood`));
    };
    xhr.send(file);
  });
