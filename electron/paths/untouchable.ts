// Paths from someone else's file (a shared project, a dataset) that must not
// be touched at all: on Windows, a stat, open or realpath of a network (UNC)
// path connects to that host — and sends the user's credentials to it (NTLM) —
// and a device path opens a device. A project file names its images, so a
// project from someone else could make the app contact any host just by being
// opened (issue 16, security second round). Such a path is classified by its
// form alone, with no file-system call, and the image is reported missing
// with the reason instead.
//
// The forms are recognised on every platform (a project travels between
// machines, and on Linux or macOS no project of ours stores them), except the
// reserved DOS device names, which are ordinary file names elsewhere.
import { win32 } from 'node:path';

/** Why `path` (as a project or dataset file holds it) is never opened, or null when it may be. */
export function untouchablePathReason(path: string, platform: NodeJS.Platform = process.platform): string | null {
  // Windows takes '/' and '\' alike: '//host/share' and '/\host\share' are UNC paths too.
  const p = path.replace(/\//g, '\\');
  if (/^\\\\[?.]\\UNC\\/i.test(p)) return 'a network (UNC) path';
  if (/^\\\\[?.]\\/.test(p) || /^\\\?\?\\/.test(p)) return 'a Windows device path (\\\\?\\, \\\\.\\ or \\??\\)';
  if (p.startsWith('\\\\')) return 'a network (UNC) path';
  if (platform === 'win32' && DOS_DEVICE.test(win32.basename(p))) return 'a Windows device name';
  return null;
}

/** CON, NUL, COM1… name a device in any folder and with any extension (before Windows 11). */
const DOS_DEVICE = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(\..*)?$/i;

/** The one-line error for an image whose stored path is never opened. */
export function untouchableImageMessage(imageId: number, path: string, reason: string): string {
  return `image ${imageId}: ${JSON.stringify(path)} is ${reason} named by the project file; it is not opened (a network path would contact its host): treated as missing — copy the image to a local folder or a mapped drive and add it again`;
}
