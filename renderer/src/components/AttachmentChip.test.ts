import { describe, expect, it } from 'vitest';
import { uploadPhase } from './AttachmentChip';

describe('uploadPhase', () => {
  const MB = 1024 * 1024;
  it('shows the upload’s progress, then what the engine does with the file once it has every byte', () => {
    expect(uploadPhase({ loaded: 5 * MB, size: 20 * MB, contentType: 'image/png' })).toBe('25%');
    expect(uploadPhase({ loaded: 20 * MB, size: 20 * MB, contentType: 'image/png' })).toBe('Resizing…');
    expect(uploadPhase({ loaded: 200_000, size: 200_000, contentType: 'image/png' })).toBe('Checking…');
    expect(uploadPhase({ loaded: 2 * MB, size: 2 * MB, contentType: 'application/pdf' })).toBe('Checking…');
  });
});
