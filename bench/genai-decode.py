"""onnxruntime-genai's side of `npm run bench:model` (bench/egm4b-local.ts).

Loads a model folder written by onnxruntime-genai's model builder once, then
answers one JSON line per command read from stdin, so the TypeScript bench can
interleave these runs with the app's own:
  {"cmd": "run", "ids": [...], "new_tokens": 100}
      -> {"prefill_ms", "decode_ms", "decode_tokens", "tokens"}
         prefill: append_tokens + the first generate_next_token (the prompt pass
         and the first pick); decode: the remaining generate_next_token calls,
         one model pass each. min_length keeps end-of-sequence from stopping it.
  {"cmd": "bandwidth", "threads": 2, "mb": 1024}
      -> {"gb_s", "best_gb_s"}: memory read bandwidth, the median and the
         best of nine sums over a buffer far larger than the caches (torch,
         `threads` threads). The median: a decode reads for seconds, and on
         this VM one sum in a few dozen reads twice the others (60 against
         30 GB/s), which a best-of took as the bandwidth.
  {"cmd": "quit"}
"""
import json
import sys
import time


def bandwidth(threads: int, mb: int) -> dict:
    import torch

    torch.set_num_threads(threads)
    x = torch.ones(mb * 1024 * 1024 // 4, dtype=torch.float32)
    x.sum()  # first touch
    times = []
    for _ in range(9):
        t = time.perf_counter()
        x.sum()
        times.append(time.perf_counter() - t)
    times.sort()
    return {"gb_s": x.numel() * 4 / times[4] / 1e9, "best_gb_s": x.numel() * 4 / times[0] / 1e9}


def main() -> None:
    model_dir = sys.argv[1]
    model = None
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "quit":
            break
        if cmd["cmd"] == "bandwidth":
            out = bandwidth(int(cmd.get("threads", 2)), int(cmd.get("mb", 1024)))
        elif cmd["cmd"] == "run":
            import onnxruntime_genai as og

            if model is None:
                model = og.Model(model_dir)
            ids = cmd["ids"]
            total = len(ids) + int(cmd["new_tokens"])
            params = og.GeneratorParams(model)
            params.set_search_options(max_length=total, min_length=total, do_sample=False)
            gen = og.Generator(model, params)
            t0 = time.perf_counter()
            gen.append_tokens(ids)
            gen.generate_next_token()
            t1 = time.perf_counter()
            steps = 0
            while not gen.is_done():
                gen.generate_next_token()
                steps += 1
            t2 = time.perf_counter()
            tokens = len(gen.get_sequence(0)) - len(ids)
            del gen
            out = {"prefill_ms": (t1 - t0) * 1000, "decode_ms": (t2 - t1) * 1000, "decode_tokens": steps, "tokens": tokens}
        else:
            out = {"error": f"unknown command {cmd['cmd']}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
