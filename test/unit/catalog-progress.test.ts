import { describe, expect, it } from 'vitest';
import { sha256FromEtag } from '../../electron/models/fetch-file';
import { formatBytes, formatDuration, formatProgressLine, ProgressTracker } from '../../electron/models/progress';
import { resolveUrl } from '../../electron/models/download';

describe('ProgressTracker', () => {
  it('measures the rate over recent samples and derives the ETA', () => {
    let t = 0;
    const p = new ProgressTracker(() => t);
    p.setTotal('a', 1_000_000);
    p.addExisting(100_000); // resumed bytes count as done, not as speed
    for (let i = 0; i < 10; i++) {
      t += 100;
      p.add(10_000); // 100 kB/s
    }
    const s = p.snapshot('a', 0, 1);
    expect(s.doneBytes).toBe(200_000);
    expect(s.totalBytes).toBe(1_000_000);
    expect(s.rate).toBeCloseTo(100_000, -2);
    expect(s.etaSeconds).toBeCloseTo(8, 0);
  });

  it('forgets old samples so a stall shows', () => {
    let t = 0;
    const p = new ProgressTracker(() => t);
    p.setTotal('a', 10_000_000);
    for (let i = 0; i < 10; i++) {
      t += 100;
      p.add(100_000);
    }
    t += 20_000;
    p.add(1);
    t += 1_000;
    p.add(1);
    expect(p.snapshot('a', 0, 1).rate).toBeLessThan(10);
  });

  it('has no rate or ETA before it can measure', () => {
    const s = new ProgressTracker(() => 0).snapshot('f', 0, 2);
    expect(s.rate).toBe(0);
    expect(s.etaSeconds).toBeNull();
  });
});

describe('formatting', () => {
  it('prints one progress line', () => {
    const line = formatProgressLine({ file: 'onnx/x.onnx', fileIndex: 2, fileCount: 9, doneBytes: 1_200_000_000, totalBytes: 2_400_000_000, rate: 35_200_000, etaSeconds: 47 }, 10);
    expect(line).toBe('[#####.....]  50% 1.20 GB/2.40 GB 35.2 MB/s ETA 0:47 onnx/x.onnx (3/9)');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('--:--');
  });
});

describe('hub details', () => {
  it('reads a sha256 from an LFS ETag and ignores git sha1 ETags', () => {
    const sha = 'a'.repeat(64);
    expect(sha256FromEtag(`"${sha}"`)).toBe(sha);
    expect(sha256FromEtag(`W/"${sha.toUpperCase()}"`)).toBe(sha);
    expect(sha256FromEtag(`"${'b'.repeat(40)}"`)).toBeUndefined();
    expect(sha256FromEtag(null)).toBeUndefined();
  });

  it('builds resolve URLs in the hub layout', () => {
    expect(resolveUrl('https://huggingface.co/', 'onnx-community/Qwen3-VL-2B-Instruct-ONNX', 'main', 'onnx/embed_tokens_q4f16.onnx')).toBe(
      'https://huggingface.co/onnx-community/Qwen3-VL-2B-Instruct-ONNX/resolve/main/onnx/embed_tokens_q4f16.onnx',
    );
    expect(resolveUrl('http://h', 'a/b', 'refs/pr/1', 'a b.json')).toBe('http://h/a/b/resolve/refs%2Fpr%2F1/a%20b.json');
  });
});
