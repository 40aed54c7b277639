;; Argmax over one row of float32 logits with WebAssembly SIMD (argmax-wasm.ts
;; loads it): sixteen floats per step instead of one, which is most of the
;; per-token work left in the decode loop (a 151,936-entry row per token).
;; Same answer as the plain loop: the first index of the largest value, NaN
;; skipped. The caller copies the row to address 0, padded with -inf to a
;; whole number of 16-float groups, and leaves a row starting with NaN to the
;; plain loop.
;;
;; Assembled by scripts/wasm/assemble.mjs (wabt's wat2wasm) into
;; argmax-wasm-bytes.ts; test/unit/wasm-kernels.test.ts checks the committed
;; bytes are what this file assembles to.
(module
  ;; $bytes: the padded row's length in bytes. Returns the index, or -1 when
  ;; no float equals the maximum (only when every value is NaN or -inf).
  (func (export "argmax") (param $bytes i32) (result i32)
    (local $i i32)
    (local $v v128)
    ;; Four independent lane-max accumulators keep the SIMD units busy.
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $max f32)

    ;; Accumulators start at -inf (not at the first values): a NaN there would never be replaced.
    (local.set $a0 (f32x4.splat (f32.const -inf)))
    (local.set $a1 (f32x4.splat (f32.const -inf)))
    (local.set $a2 (f32x4.splat (f32.const -inf)))
    (local.set $a3 (f32x4.splat (f32.const -inf)))

    ;; Per lane, the largest value seen: v > acc, so NaN (never greater) is skipped.
    (local.set $i (i32.const 0))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $v (v128.load align=1 (local.get $i)))
        (local.set $a0 (v128.bitselect (local.get $v) (local.get $a0) (f32x4.gt (local.get $v) (local.get $a0))))
        (local.set $v (v128.load offset=16 align=1 (local.get $i)))
        (local.set $a1 (v128.bitselect (local.get $v) (local.get $a1) (f32x4.gt (local.get $v) (local.get $a1))))
        (local.set $v (v128.load offset=32 align=1 (local.get $i)))
        (local.set $a2 (v128.bitselect (local.get $v) (local.get $a2) (f32x4.gt (local.get $v) (local.get $a2))))
        (local.set $v (v128.load offset=48 align=1 (local.get $i)))
        (local.set $a3 (v128.bitselect (local.get $v) (local.get $a3) (f32x4.gt (local.get $v) (local.get $a3))))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $group)))

    ;; The four accumulators into $a0, then its four lanes into $max.
    (local.set $v (local.get $a1))
    (local.set $a0 (v128.bitselect (local.get $v) (local.get $a0) (f32x4.gt (local.get $v) (local.get $a0))))
    (local.set $v (local.get $a2))
    (local.set $a0 (v128.bitselect (local.get $v) (local.get $a0) (f32x4.gt (local.get $v) (local.get $a0))))
    (local.set $v (local.get $a3))
    (local.set $a0 (v128.bitselect (local.get $v) (local.get $a0) (f32x4.gt (local.get $v) (local.get $a0))))
    (local.set $max (f32x4.extract_lane 0 (local.get $a0)))
    (local.set $max (select (f32x4.extract_lane 1 (local.get $a0)) (local.get $max) (f32.gt (f32x4.extract_lane 1 (local.get $a0)) (local.get $max))))
    (local.set $max (select (f32x4.extract_lane 2 (local.get $a0)) (local.get $max) (f32.gt (f32x4.extract_lane 2 (local.get $a0)) (local.get $max))))
    (local.set $max (select (f32x4.extract_lane 3 (local.get $a0)) (local.get $max) (f32.gt (f32x4.extract_lane 3 (local.get $a0)) (local.get $max))))

    ;; The first 16-float group holding $max...
    (local.set $v (f32x4.splat (local.get $max)))
    (local.set $i (i32.const 0))
    (block $found
      (loop $group
        (br_if $found (i32.ge_u (local.get $i) (local.get $bytes)))
        (br_if $found
          (v128.any_true
            (v128.or
              (v128.or
                (f32x4.eq (v128.load align=1 (local.get $i)) (local.get $v))
                (f32x4.eq (v128.load offset=16 align=1 (local.get $i)) (local.get $v)))
              (v128.or
                (f32x4.eq (v128.load offset=32 align=1 (local.get $i)) (local.get $v))
                (f32x4.eq (v128.load offset=48 align=1 (local.get $i)) (local.get $v))))))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $group)))

    ;; ...then the float within it.
    (block $none
      (loop $float
        (br_if $none (i32.ge_u (local.get $i) (local.get $bytes)))
        (if (f32.eq (f32.load (local.get $i)) (local.get $max))
          (then (return (i32.shr_u (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $float)))
    (i32.const -1))

  ;; 10 pages = 640 KiB: a 151,936-float row; argmax-wasm.ts grows it for bigger vocabularies.
  (memory (export "mem") 10))
