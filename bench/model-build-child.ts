// One build in a process of its own, so its peak RSS is the build's alone:
//   tsx bench/model-build-child.ts <checkpoint> <out> <dtype>
// Prints one JSON line: {ms, weightBytes, outBytes, peakRssMb, cpuMs}.
import { buildModel } from '../electron/models/onnx-builder/build-model';
import type { BuildDtype } from '../electron/models/onnx-builder/layers';

const [source, out, dtype] = process.argv.slice(2) as [string, string, BuildDtype];
let weightBytes = 0;
const report = await buildModel({ source, out, dtypes: [dtype], id: 'bench/egm-4b-shapes', onProgress: (p) => void (weightBytes = p.bytesTotal) });
// maxRSS is in kilobytes (KiB) on Linux and macOS; CPU times in microseconds, every thread of the process (the conversion workers too).
const usage = process.resourceUsage();
const peakRssMb = (usage.maxRSS * 1024) / 1e6;
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
console.log(JSON.stringify({ ms: report.ms, weightBytes, outBytes: report.bytes, peakRssMb, cpuMs }));
