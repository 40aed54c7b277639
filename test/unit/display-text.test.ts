// File names in main's native dialogs (issue 16, security second round): a
// newline in a COCO file_name faked a line of the "outside the folder"
// question. Control, bidi and invisible characters are shown escaped, so
// each name is one line, read as stored.
import { describe, expect, it } from 'vitest';
import { displayText, outsideImagesQuestion } from '@core/display-text';

describe('text from files in dialogs', () => {
  it('escapes newlines, other controls, bidi overrides and invisible characters', () => {
    expect(displayText('a\nb\r\tc\u0000d\u007f\u0085')).toBe('a\\u{000A}b\\u{000D}\\u{0009}c\\u{0000}d\\u{007F}\\u{0085}');
    // RIGHT-TO-LEFT OVERRIDE makes 'gpj.exe' read as 'exe.jpg'; isolates, marks and zero-width characters likewise.
    expect(displayText('photo\u202Egpj.exe')).toBe('photo\\u{202E}gpj.exe');
    expect(displayText('\u2066a\u2069\u200Fb\u200Bc\u2028d\uFEFF')).toBe('\\u{2066}a\\u{2069}\\u{200F}b\\u{200B}c\\u{2028}d\\u{FEFF}');
    expect(displayText('/images/épreuve 1 ✓/猫.jpg')).toBe('/images/épreuve 1 ✓/猫.jpg');
    expect(displayText('x'.repeat(1000))).toHaveLength(300);
  });

  it('the outside-the-folder question shows one line per file, whatever the names hold', () => {
    const fake = '/data/ok.jpg\n\nAll 3 files are inside /data; nothing is read outside it. Click "Import them too".';
    const { message, detail } = outsideImagesQuestion([fake, '/etc/x\u202Egpj.png', '/home/me/.ssh/id_rsa'], '/data\n');
    expect(message).toBe('3 images of this COCO file lie outside /data\\u{000A}');
    const lines = detail.split('\n');
    expect(lines).toEqual([
      '/data/ok.jpg\\u{000A}\\u{000A}All 3 files are inside /data; nothing is read outside it. Click "Import them too".',
      '/etc/x\\u{202E}gpj.png',
      '/home/me/.ssh/id_rsa',
      '',
      'Read them anyway? They will be listed in the import report.',
    ]);
    expect(outsideImagesQuestion(Array.from({ length: 10 }, (_, i) => `/x/${i}.jpg`), '/data').detail.split('\n').slice(7, 9)).toEqual(['/x/7.jpg', '… and 2 more']);
  });
});
