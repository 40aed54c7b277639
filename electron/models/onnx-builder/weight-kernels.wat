;; The model builder's hot loops with WebAssembly SIMD (weight-kernels.ts
;; loads it): float → fp16 bits (every fp16 and q4f16 weight), 4-bit block
;; quantisation (every q4/q4f16 decoder weight), and the transpose of 16-bit
;; weights (every fp16 decoder Linear, stored as Wᵀ for MatMul). In plain JavaScript they were
;; most of a build's CPU time (a bf16 → fp16 table lookup per value; two passes
;; per block with a double multiply per value). Both give exactly the bytes of
;; the plain functions in precision.ts (halfBits; quantizeQ4), which stay as
;; the reference and the fallback: test/unit/weight-kernels.test.ts compares
;; them on random and edge values.
;;
;; Assembled by scripts/wasm/assemble.mjs (wabt's wat2wasm) into
;; weight-kernels-wasm-bytes.ts; test/unit/wasm-kernels.test.ts checks the
;; committed bytes are what this file assembles to.
(module
  (memory (export "mem") 1)

  ;; $n values at $src (bf16 bits when $bf16, else float32) → fp16 bits at
  ;; $dst, in place when $dst = $src ($n a multiple of 4), rounding to nearest
  ;; even, NaN → sign | 0x7e00, as halfBits does. Three answers computed and
  ;; selected per lane (F. Giesen's float_to_half_fast3): normal halves by
  ;; integer rounding of the mantissa; subnormal halves by adding 0.5 in
  ;; float32, whose own round-to-nearest-even aligns the mantissa at 2^-24,
  ;; the smallest subnormal; ±inf and NaN past the range. The values lost are
  ;; counted into two i32 at $losses: finite values that became ±inf, non-zero
  ;; values that became ±0. One body, four values a step (no calls: this
  ;; engine does not inline them, and they cost a third of the time).
  ;; bf16 first tries eight values a step in 16-bit lanes: a bf16 whose
  ;; exponent is one of fp16's normal ones (2^-14 ≤ |x| < 2^16) has 7
  ;; mantissa bits that fp16's 10 hold exactly, so its half is its bits
  ;; shifted and rebiased, with no rounding and nothing lost; ±0 stays ±0.
  ;; Eight such values (nearly all of a checkpoint's) are stored at once; any
  ;; other among them sends those eight through the general body, four by four.
  (func (export "to_f16") (param $src i32) (param $bf16 i32) (param $n i32) (param $dst i32) (param $losses i32)
    (local $i i32) (local $x v128) (local $sign v128) (local $a v128) (local $h v128) (local $mag v128)
    (local $over v128) (local $flush v128) (local $normal v128)
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.and (local.get $bf16) (i32.le_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
          (then
            (local.set $x (v128.load align=1 (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1)))))
            (local.set $a (v128.and (local.get $x) (i16x8.splat (i32.const 0x7fff))))
            ;; Exponent 113..142 (fp16's 1..30): 0x3880 ≤ |bits| < 0x4780.
            (local.set $normal
              (v128.and
                (i16x8.ge_u (local.get $a) (i16x8.splat (i32.const 0x3880)))
                (i16x8.lt_u (local.get $a) (i16x8.splat (i32.const 0x4780)))))
            (if (i16x8.all_true (v128.or (local.get $normal) (i16x8.eq (local.get $a) (i16x8.splat (i32.const 0)))))
              (then
                ;; (e << 7 | m) << 3 wraps to (e - 112) << 10 | m << 3 once 0xc000 (112 << 10, mod 2^16) is taken off.
                (v128.store align=1
                  (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 1)))
                  (v128.or
                    (v128.and
                      (i16x8.sub (i16x8.shl (local.get $a) (i32.const 3)) (i16x8.splat (i32.const 0xc000)))
                      (local.get $normal))
                    (v128.and (local.get $x) (i16x8.splat (i32.const 0x8000)))))
                (local.set $i (i32.add (local.get $i) (i32.const 8)))
                (br $four)))))
        (local.set $x
          (if (result v128) (local.get $bf16)
            ;; Four bf16 → four float32 bit patterns (bf16 is float32's top half).
            (then (i32x4.shl (i32x4.extend_low_i16x8_u (v128.load64_zero align=1 (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1))))) (i32.const 16)))
            (else (v128.load align=1 (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $sign (v128.and (local.get $x) (i32x4.splat (i32.const 0x80000000))))
        (local.set $a (v128.xor (local.get $x) (local.get $sign)))
        (local.set $h
          (v128.or
            (v128.bitselect
              ;; From 65536 up: NaN (0x7e00) above inf's bits, else inf.
              (v128.bitselect
                (i32x4.splat (i32.const 0x7e00))
                (i32x4.splat (i32.const 0x7c00))
                (i32x4.gt_s (local.get $a) (i32x4.splat (i32.const 0x7f800000))))
              (v128.bitselect
                ;; Below 2^-14: |x| + 0.5, minus the bits of 0.5, is the subnormal count.
                (i32x4.sub
                  (f32x4.add (local.get $a) (f32x4.splat (f32.const 0.5)))
                  (i32x4.splat (i32.const 0x3f000000)))
                ;; Normal: rebias the exponent (127 → 15: + (15 - 127) << 23), round the 13 dropped bits to nearest even
                ;; (+ 0xfff, + the lowest kept bit); a carry into the exponent is still right.
                (i32x4.shr_u
                  (i32x4.add
                    (i32x4.add (local.get $a) (i32x4.splat (i32.const 0xc8000fff)))
                    (v128.and (i32x4.shr_u (local.get $a) (i32.const 13)) (i32x4.splat (i32.const 1))))
                  (i32.const 13))
                (i32x4.lt_s (local.get $a) (i32x4.splat (i32.const 0x38800000)))) ;; 113 << 23 = 2^-14
              (i32x4.ge_s (local.get $a) (i32x4.splat (i32.const 0x47800000)))) ;; 143 << 23 = 2^16
            (i32x4.shr_u (local.get $sign) (i32.const 16))))
        ;; Losses: a true lane is -1, so subtracting the masks counts them.
        (local.set $mag (v128.and (local.get $h) (i32x4.splat (i32.const 0x7fff))))
        (local.set $over
          (i32x4.sub (local.get $over)
            (v128.and
              (i32x4.eq (local.get $mag) (i32x4.splat (i32.const 0x7c00)))
              (i32x4.lt_s (local.get $a) (i32x4.splat (i32.const 0x7f800000))))))
        (local.set $flush
          (i32x4.sub (local.get $flush)
            (v128.andnot
              (i32x4.eq (local.get $mag) (i32x4.splat (i32.const 0)))
              (i32x4.eq (local.get $a) (i32x4.splat (i32.const 0))))))
        (v128.store64_lane align=1 0
          (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 1)))
          (i16x8.narrow_i32x4_u (local.get $h) (local.get $h)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $four)))
    (i32.store (local.get $losses)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $over)) (i32x4.extract_lane 1 (local.get $over)))
        (i32.add (i32x4.extract_lane 2 (local.get $over)) (i32x4.extract_lane 3 (local.get $over)))))
    (i32.store offset=4 (local.get $losses)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $flush)) (i32x4.extract_lane 1 (local.get $flush)))
        (i32.add (i32x4.extract_lane 2 (local.get $flush)) (i32x4.extract_lane 3 (local.get $flush))))))

  ;; quantizeQ4 over $rows rows of $k float32 (or bf16 bits when $bf16) at
  ;; $src, in blocks of $block ($block a multiple of 16 that divides $k):
  ;; 4-bit values at $data (two per byte, low nibble first), float32 scales at
  ;; $scales, packed zero points at $zps (asymmetric only). $row: room for one
  ;; row of float32 (a bf16 row is widened there first, in cache).
  (func (export "quantize_q4")
    (param $src i32) (param $bf16 i32) (param $rows i32) (param $k i32) (param $block i32) (param $symmetric i32)
    (param $row i32) (param $data i32) (param $scales i32) (param $zps i32)
    (local $r i32) (local $b i32) (local $blocks i32) (local $zpBytes i32) (local $at i32) (local $end i32) (local $in i32) (local $out i32)
    (local $v v128) (local $vlo v128) (local $vhi v128)
    (local $lo f32) (local $hi f32) (local $scale f64) (local $zp f64) (local $t f64) (local $s32 f32)
    (local $inv v128) (local $zpv v128) (local $packed v128)
    (local.set $blocks (i32.div_u (local.get $k) (local.get $block)))
    (local.set $zpBytes (i32.shr_u (i32.add (local.get $blocks) (i32.const 1)) (i32.const 1)))
    (local.set $out (local.get $data))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        ;; The row as float32: in place, or widened from bf16 into $row.
        (if (local.get $bf16)
          (then
            (local.set $in (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $k)) (i32.const 1))))
            (local.set $at (i32.const 0))
            (block $widened
              (loop $widen
                (br_if $widened (i32.ge_u (local.get $at) (local.get $k)))
                (local.set $v (v128.load align=1 (i32.add (local.get $in) (i32.shl (local.get $at) (i32.const 1)))))
                (v128.store align=1 (i32.add (local.get $row) (i32.shl (local.get $at) (i32.const 2)))
                  (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $v)) (i32.const 16)))
                (v128.store offset=16 align=1 (i32.add (local.get $row) (i32.shl (local.get $at) (i32.const 2)))
                  (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $v)) (i32.const 16)))
                (local.set $at (i32.add (local.get $at) (i32.const 8)))
                (br $widen)))
            (local.set $in (local.get $row)))
          (else
            (local.set $in (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $k)) (i32.const 2))))))
        (local.set $b (i32.const 0))
        (block $blocksDone
          (loop $eachBlock
            (br_if $blocksDone (i32.ge_u (local.get $b) (local.get $blocks)))
            (local.set $at (i32.add (local.get $in) (i32.shl (i32.mul (local.get $b) (local.get $block)) (i32.const 2))))
            (local.set $end (i32.add (local.get $at) (i32.shl (local.get $block) (i32.const 2))))
            ;; The block's lowest and highest value, NaN skipped (pmin/pmax keep the accumulator unless the value is smaller/greater).
            (local.set $vlo (f32x4.splat (f32.const inf)))
            (local.set $vhi (f32x4.splat (f32.const -inf)))
            (block $scanned
              (loop $scan
                (br_if $scanned (i32.ge_u (local.get $at) (local.get $end)))
                (local.set $v (v128.load align=1 (local.get $at)))
                (local.set $vlo (f32x4.pmin (local.get $vlo) (local.get $v)))
                (local.set $vhi (f32x4.pmax (local.get $vhi) (local.get $v)))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (br $scan)))
            (local.set $lo (f32x4.extract_lane 0 (local.get $vlo)))
            (local.set $lo (select (f32x4.extract_lane 1 (local.get $vlo)) (local.get $lo) (f32.lt (f32x4.extract_lane 1 (local.get $vlo)) (local.get $lo))))
            (local.set $lo (select (f32x4.extract_lane 2 (local.get $vlo)) (local.get $lo) (f32.lt (f32x4.extract_lane 2 (local.get $vlo)) (local.get $lo))))
            (local.set $lo (select (f32x4.extract_lane 3 (local.get $vlo)) (local.get $lo) (f32.lt (f32x4.extract_lane 3 (local.get $vlo)) (local.get $lo))))
            (local.set $hi (f32x4.extract_lane 0 (local.get $vhi)))
            (local.set $hi (select (f32x4.extract_lane 1 (local.get $vhi)) (local.get $hi) (f32.gt (f32x4.extract_lane 1 (local.get $vhi)) (local.get $hi))))
            (local.set $hi (select (f32x4.extract_lane 2 (local.get $vhi)) (local.get $hi) (f32.gt (f32x4.extract_lane 2 (local.get $vhi)) (local.get $hi))))
            (local.set $hi (select (f32x4.extract_lane 3 (local.get $vhi)) (local.get $hi) (f32.gt (f32x4.extract_lane 3 (local.get $vhi)) (local.get $hi))))
            ;; Scale and zero point in double precision, the scale then rounded to float32 (quantizeQ4's order).
            (if (local.get $symmetric)
              (then
                (local.set $scale (f64.max (f64.div (f64.neg (f64.promote_f32 (local.get $lo))) (f64.const 8)) (f64.div (f64.promote_f32 (local.get $hi)) (f64.const 7))))
                (if (i32.eqz (f64.gt (local.get $scale) (f64.const 0))) (then (local.set $scale (f64.const 1))))
                (local.set $zp (f64.const 8)))
              (else
                (local.set $lo (f32.min (local.get $lo) (f32.const 0)))
                (local.set $hi (f32.max (local.get $hi) (f32.const 0)))
                (local.set $scale
                  (select
                    (f64.const 1)
                    (f64.div (f64.sub (f64.promote_f32 (local.get $hi)) (f64.promote_f32 (local.get $lo))) (f64.const 15))
                    (f32.eq (local.get $hi) (local.get $lo))))
                ;; Math.round(-lo / scale) (halves up; NaN stays NaN and becomes 0 below), written out: no call.
                (local.set $t (f64.div (f64.neg (f64.promote_f32 (local.get $lo))) (local.get $scale)))
                (local.set $zp (f64.floor (local.get $t)))
                (local.set $zp (select (f64.add (local.get $zp) (f64.const 1)) (local.get $zp) (f64.ge (f64.sub (local.get $t) (local.get $zp)) (f64.const 0.5))))
                (local.set $zp (f64.min (f64.const 15) (f64.max (f64.const 0) (local.get $zp))))
                ;; Zero points two per byte, low nibble first: an even block starts its byte.
                (local.set $at (i32.add (local.get $zps) (i32.add (i32.mul (local.get $r) (local.get $zpBytes)) (i32.shr_u (local.get $b) (i32.const 1)))))
                (if (i32.and (local.get $b) (i32.const 1))
                  (then (i32.store8 (local.get $at) (i32.or (i32.load8_u (local.get $at)) (i32.shl (i32.trunc_sat_f64_s (local.get $zp)) (i32.const 4)))))
                  (else (i32.store8 (local.get $at) (i32.trunc_sat_f64_s (local.get $zp)))))))
            (local.set $s32 (f32.demote_f64 (local.get $scale)))
            (f32.store (i32.add (local.get $scales) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $blocks)) (local.get $b)) (i32.const 2))) (local.get $s32))
            (local.set $inv (f64x2.splat (f64.div (f64.const 1) (f64.promote_f32 (local.get $s32)))))
            (local.set $zpv (f64x2.splat (local.get $zp)))
            ;; Four values → two bytes per step, one inline body (this engine does not inline calls):
            ;; floor(v · inv + 0.5) + zp in double precision, clamped to 0..15 (NaN → 0), as quantizeQ4 computes them.
            (local.set $at (i32.add (local.get $in) (i32.shl (i32.mul (local.get $b) (local.get $block)) (i32.const 2))))
            (block $quantised
              (loop $four
                (br_if $quantised (i32.ge_u (local.get $at) (local.get $end)))
                (local.set $v (v128.load align=1 (local.get $at)))
                (local.set $vlo
                  (i32x4.trunc_sat_f64x2_s_zero
                    (f64x2.pmin
                      (f64x2.pmax
                        (f64x2.add
                          (f64x2.floor (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v)) (local.get $inv)) (f64x2.splat (f64.const 0.5))))
                          (local.get $zpv))
                        (f64x2.splat (f64.const 0)))
                      (f64x2.splat (f64.const 15)))))
                (local.set $vhi
                  (i32x4.trunc_sat_f64x2_s_zero
                    (f64x2.pmin
                      (f64x2.pmax
                        (f64x2.add
                          (f64x2.floor
                            (f64x2.add
                              (f64x2.mul
                                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
                                (local.get $inv))
                              (f64x2.splat (f64.const 0.5))))
                          (local.get $zpv))
                        (f64x2.splat (f64.const 0)))
                      (f64x2.splat (f64.const 15)))))
                ;; [q0 q1 q2 q3] as two 64-bit lanes (q0 | q1 << 32, q2 | q3 << 32); v | v >> 28 puts q1 << 4
                ;; beside q0 in each lane's low byte; bytes 0 and 8 are the two packed bytes, low nibble first.
                (local.set $packed (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $vlo) (local.get $vhi)))
                (local.set $packed (v128.or (local.get $packed) (i64x2.shr_u (local.get $packed) (i32.const 28))))
                (v128.store16_lane align=1 0 (local.get $out)
                  (i8x16.shuffle 0 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0 (local.get $packed) (local.get $packed)))
                (local.set $out (i32.add (local.get $out) (i32.const 2)))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (br $four)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $eachBlock)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow))))

  ;; One 8 × 8 tile of 16-bit values: rows at $src ($cols apart) → columns at
  ;; $dst ($rows apart). Three rounds of interleaving, 16-, 32- then 64-bit
  ;; halves of row pairs, turn eight rows into eight columns.
  (func $tile8 (param $src i32) (param $cols i32) (param $dst i32) (param $rows i32)
    (local $stride i32) (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $r4 v128) (local $r5 v128) (local $r6 v128) (local $r7 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $t4 v128) (local $t5 v128) (local $t6 v128) (local $t7 v128)
    (local.set $stride (i32.shl (local.get $cols) (i32.const 1)))
    (local.set $r0 (v128.load align=1 (local.get $src)))
    (local.set $r1 (v128.load align=1 (local.tee $src (i32.add (local.get $src) (local.get $stride)))))
    (local.set $r2 (v128.load align=1 (local.tee $src (i32.add (local.get $src) (local.get $stride)))))
    (local.set $r3 (v128.load align=1 (local.tee $src (i32.add (local.get $src) (local.get $stride)))))
    (local.set $r4 (v128.load align=1 (local.tee $src (i32.add (local.get $src) (local.get $stride)))))
    (local.set $r5 (v128.load align=1 (local.tee $src (i32.add (local.get $src) (local.get $stride)))))
    (local.set $r6 (v128.load align=1 (local.tee $src (i32.add (local.get $src) (local.get $stride)))))
    (local.set $r7 (v128.load align=1 (i32.add (local.get $src) (local.get $stride))))
    ;; 16-bit: a0 b0 a1 b1 a2 b2 a3 b3 | a4 b4 … a7 b7 for each row pair.
    (local.set $t0 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $r0) (local.get $r1)))
    (local.set $t1 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $r0) (local.get $r1)))
    (local.set $t2 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $r2) (local.get $r3)))
    (local.set $t3 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $r2) (local.get $r3)))
    (local.set $t4 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $r4) (local.get $r5)))
    (local.set $t5 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $r4) (local.get $r5)))
    (local.set $t6 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $r6) (local.get $r7)))
    (local.set $t7 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $r6) (local.get $r7)))
    ;; 32-bit: a0 b0 c0 d0 a1 b1 c1 d1, … (the r registers reused).
    (local.set $r0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t0) (local.get $t2)))
    (local.set $r1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t0) (local.get $t2)))
    (local.set $r2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t1) (local.get $t3)))
    (local.set $r3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t1) (local.get $t3)))
    (local.set $r4 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t4) (local.get $t6)))
    (local.set $r5 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t4) (local.get $t6)))
    (local.set $r6 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t5) (local.get $t7)))
    (local.set $r7 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t5) (local.get $t7)))
    ;; 64-bit: column j = the low or high halves of a pair.
    (local.set $stride (i32.shl (local.get $rows) (i32.const 1)))
    (v128.store align=1 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r4)))
    (v128.store align=1 (local.tee $dst (i32.add (local.get $dst) (local.get $stride))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r4)))
    (v128.store align=1 (local.tee $dst (i32.add (local.get $dst) (local.get $stride))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r1) (local.get $r5)))
    (v128.store align=1 (local.tee $dst (i32.add (local.get $dst) (local.get $stride))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r1) (local.get $r5)))
    (v128.store align=1 (local.tee $dst (i32.add (local.get $dst) (local.get $stride))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r2) (local.get $r6)))
    (v128.store align=1 (local.tee $dst (i32.add (local.get $dst) (local.get $stride))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r2) (local.get $r6)))
    (v128.store align=1 (local.tee $dst (i32.add (local.get $dst) (local.get $stride))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r3) (local.get $r7)))
    (v128.store align=1 (i32.add (local.get $dst) (local.get $stride)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r3) (local.get $r7))))

  ;; $rows × $cols 16-bit values at $src (row-major) → their transpose at $dst
  ;; ($cols × $rows), both multiples of 8. Bands of 32 rows (the last band
  ;; may be shorter) are walked tile column by tile column, so each 64-byte
  ;; line of the output is filled by four tiles in a row, while it is cached.
  (func (export "transpose16") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $i0 i32) (local $i1 i32) (local $i i32) (local $j i32)
    (block $bandsDone
      (loop $band
        (br_if $bandsDone (i32.ge_u (local.get $i0) (local.get $rows)))
        (local.set $i1 (select (i32.add (local.get $i0) (i32.const 32)) (local.get $rows) (i32.lt_u (i32.add (local.get $i0) (i32.const 32)) (local.get $rows))))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $i (local.get $i0))
            (block $tilesDone
              (loop $tile
                (br_if $tilesDone (i32.ge_u (local.get $i) (local.get $i1)))
                (call $tile8
                  (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 1)))
                  (local.get $cols)
                  (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 1)))
                  (local.get $rows))
                (local.set $i (i32.add (local.get $i) (i32.const 8)))
                (br $tile)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $col)))
        (local.set $i0 (local.get $i1))
        (br $band))))
)
