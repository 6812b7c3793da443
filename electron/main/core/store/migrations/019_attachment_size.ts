/**
 * A picture's pixel size as shown (after any resize and EXIF rotation), so a message bubble reserves the picture's
 * box before it loads. Null for anything not a picture and for a picture whose size could not be read; pictures
 * stored before this migration are measured once, in the background, at the next start (measureOldPictures).
 */
export default /* sql */ `
ALTER TABLE attachments ADD COLUMN width INTEGER CHECK (width > 0);
ALTER TABLE attachments ADD COLUMN height INTEGER CHECK (height > 0);
`;
