import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { IMAGE_MAX, imageBox, MediaPreview } from './MediaPreview';

const shape = (box: ReturnType<typeof imageBox>) => {
  const [w, h] = String(box?.aspectRatio).split(' / ').map(Number);
  return { width: box!.width as number, height: ((box!.width as number) * h!) / w! };
};

describe('imageBox', () => {
  it('keeps a portrait picture portrait, within the maximum height', () => {
    const box = shape(imageBox({ width: 400, height: 1200 }));
    expect(box).toEqual({ width: 120, height: IMAGE_MAX.height });
  });

  it('scales a landscape picture to the maximum width and leaves a small one as it is', () => {
    expect(shape(imageBox({ width: 640, height: 480 }))).toEqual({ width: IMAGE_MAX.width, height: 240 });
    expect(shape(imageBox({ width: 100, height: 50 }))).toEqual({ width: 100, height: 50 });
  });

  it('keeps a sliver wide enough to click, and has no box for an unknown size', () => {
    expect(imageBox({ width: 10, height: 4000 })?.width).toBe(48);
    expect(imageBox(undefined)).toBeUndefined();
    expect(imageBox({ width: 0, height: 0 })).toBeUndefined();
  });
});

describe('MediaPreview', () => {
  it('shows a ready image as a button that opens it, and a file still downloading as a card', () => {
    const image = { id: 'a1', name: 'tall.jpg', contentType: 'image/jpeg', size: 1, width: null, height: null, url: '/media/a1', state: 'ready' as const };
    expect(renderToStaticMarkup(<MediaPreview attachment={image} onOpenImage={() => {}} />)).toMatch(/<button[^>]*aria-label="Open image tall.jpg"><img src="\/media\/a1"/);
    expect(renderToStaticMarkup(<MediaPreview attachment={{ ...image, url: null, state: 'pending' }} onOpenImage={() => {}} />)).toContain('Downloading…');
  });

  it('reserves a picture’s own box before it loads when its size is known, and the placeholder when not', () => {
    const image = { id: 'a2', name: 'tall.jpg', contentType: 'image/jpeg', size: 1, width: 400, height: 1200, url: '/media/a2', state: 'ready' as const };
    // 400×1200 scaled into 320×360: 120 wide, its own 1:3 shape (360 tall).
    expect(renderToStaticMarkup(<MediaPreview attachment={image} onOpenImage={() => {}} />)).toMatch(/<img [^>]*style="width:120px;aspect-ratio:400 \/ 1200"/);
    expect(renderToStaticMarkup(<MediaPreview attachment={{ ...image, id: 'a3', width: null, height: null }} onOpenImage={() => {}} />)).not.toContain('style=');
  });
});
