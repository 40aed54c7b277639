;; The two passes of Pillow's bicubic resample (pil-resize.ts) with WebAssembly
;; SIMD, loaded by pil-resize-wasm.ts: the same 32-bit integer sums as the JS
;; passes, four at a time, so the same bytes, several times faster on a 12 MP
;; photo. Where WebAssembly SIMD is missing, pil-resize.ts keeps its JS passes.
;;
;; $h1 / $h4 (horizontal pass, 1 or 4 rows per step sharing the weight loads):
;;   for each row, for each output pixel x, four lanes (R, G, B, X) sum
;;   px·k over the taps first[x] .. first[x] + count[x], two taps per step:
;;   8 bytes (pixels t, t+1) are swizzled ($swizzleMask) into 16-bit lanes
;;   (R_t, R_t+1, G_t, G_t+1, B_t, B_t+1, X_t, X_t+1) and taken through
;;   i32x4.dot_i16x8_s with the weights split into 16-bit halves,
;;   k = kh·2^11 + kl, one dot product each ($accH, $accL): Σ v·k =
;;   (Σ v·kh)·2^11 + Σ v·kl, the same integer. A tap pair beyond count has
;;   weights 0. Then (accH << 11) + accL + half >> 22, saturated to 0..255,
;;   `step` bytes stored: 4, the 4th spilling into the next pixel (written
;;   after it), except the last pixel of a 3-byte row, which gets exactly 3.
;; $v (vertical pass): for each output row y, for each 16-byte column strip,
;;   16 sums of byte·k over the source rows first[y] .. first[y] + count[y],
;;   >> 22, saturated, 16 bytes stored (a strip past the row end spills into
;;   the next output row, written after it, or into the padding).
;; Tables and pixels lie in the module's memory, laid out by pil-resize-wasm.ts.
;;
;; Assembled by scripts/wasm/assemble.mjs (wabt's wat2wasm) into
;; pil-resize-wasm-bytes.ts; test/unit/wasm-kernels.test.ts checks the
;; committed bytes are what this file assembles to. ($h4 is $h1 with its
;; per-row work written out four times: $accH0..3, $accL0..3.)
(module
  (type $t0 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (type $t1 (func (param i32 i32 i32 i32 i32 i32 i32 i32)))
  ;; Horizontal pass, one row per step.
  (func $h1 (type $t0) (param $src i32) (param $stride i32) (param $rows i32) (param $outW i32) (param $first i32) (param $pairs i32) (param $coeffs i32) (param $kpairs i32) (param $dst i32) (param $step i32) (param $mask i32)
    (local $y i32) (local $x i32) (local $p i32) (local $n i32) (local $kp i32) (local $row i32) (local $kbytes i32) (local $outStride i32) (local $lastX i32) (local $stride2 i32) (local $stride3 i32) (local $swizzleMask v128) (local $half v128) (local $px v128) (local $kh v128) (local $kl v128) (local $accH0 v128) (local $accL0 v128)
    (local.set $kbytes
      (i32.shl
        (local.get $kpairs)
        (i32.const 5)))
    (local.set $stride2
      (i32.shl
        (local.get $stride)
        (i32.const 1)))
    (local.set $stride3
      (i32.add
        (local.get $stride2)
        (local.get $stride)))
    (local.set $outStride
      (i32.mul
        (local.get $outW)
        (local.get $step)))
    (local.set $lastX
      (i32.sub
        (local.get $outW)
        (i32.const 1)))
    (local.set $swizzleMask
      (v128.load align=1
        (local.get $mask)))
    (local.set $half
      (i32x4.splat
        (i32.const 2097152)))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_u
            (local.get $y)
            (local.get $rows)))
        (local.set $row
          (i32.add
            (local.get $src)
            (i32.mul
              (local.get $y)
              (local.get $stride))))
        (local.set $x
          (i32.const 0))
        (block $B2
          (loop $L3
            (br_if $B2
              (i32.ge_u
                (local.get $x)
                (local.get $outW)))
            (local.set $p
              (i32.add
                (local.get $row)
                (i32.mul
                  (i32.load
                    (i32.add
                      (local.get $first)
                      (i32.shl
                        (local.get $x)
                        (i32.const 2))))
                  (local.get $step))))
            (local.set $n
              (i32.load
                (i32.add
                  (local.get $pairs)
                  (i32.shl
                    (local.get $x)
                    (i32.const 2)))))
            (local.set $kp
              (i32.add
                (local.get $coeffs)
                (i32.mul
                  (local.get $x)
                  (local.get $kbytes))))
            (local.set $accL0
              (local.tee $accH0
                (i32x4.splat
                  (i32.const 0))))
            (block $B4
              (loop $L5
                (br_if $B4
                  (i32.eqz
                    (local.get $n)))
                (local.set $kh
                  (v128.load align=1
                    (local.get $kp)))
                (local.set $kl
                  (v128.load align=1
                    (i32.add
                      (local.get $kp)
                      (i32.const 16))))
                (local.set $px
                  (i8x16.swizzle
                    (v128.load64_zero align=1
                      (local.get $p))
                    (local.get $swizzleMask)))
                (local.set $accH0
                  (i32x4.add
                    (local.get $accH0)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kh))))
                (local.set $accL0
                  (i32x4.add
                    (local.get $accL0)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kl))))
                (local.set $p
                  (i32.add
                    (local.get $p)
                    (i32.shl
                      (local.get $step)
                      (i32.const 1))))
                (local.set $kp
                  (i32.add
                    (local.get $kp)
                    (i32.const 32)))
                (local.set $n
                  (i32.sub
                    (local.get $n)
                    (i32.const 1)))
                (br $L5)))
            (if $I6
              (i32.and
                (i32.eq
                  (local.get $x)
                  (local.get $lastX))
                (i32.eq
                  (local.get $step)
                  (i32.const 3)))
              (then
                (v128.store16_lane align=1 0
                  (local.get $dst)
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH0)
                                  (i32.const 11))
                                (local.get $accL0))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))
                (v128.store8_lane offset=2 2
                  (local.get $dst)
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH0)
                                  (i32.const 11))
                                (local.get $accL0))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px))))
              (else
                (v128.store32_lane align=1 0
                  (local.get $dst)
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH0)
                                  (i32.const 11))
                                (local.get $accL0))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))))
            (local.set $dst
              (i32.add
                (local.get $dst)
                (local.get $step)))
            (local.set $x
              (i32.add
                (local.get $x)
                (i32.const 1)))
            (br $L3)))
        (local.set $y
          (i32.add
            (local.get $y)
            (i32.const 1)))
        (br $L1))))
  ;; Horizontal pass, four rows per step (row r at $p + r·$stride).
  (func $h4 (type $t0) (param $src i32) (param $stride i32) (param $rows i32) (param $outW i32) (param $first i32) (param $pairs i32) (param $coeffs i32) (param $kpairs i32) (param $dst i32) (param $step i32) (param $mask i32)
    (local $y i32) (local $x i32) (local $p i32) (local $n i32) (local $kp i32) (local $row i32) (local $kbytes i32) (local $outStride i32) (local $lastX i32) (local $stride2 i32) (local $stride3 i32) (local $swizzleMask v128) (local $half v128) (local $px v128) (local $kh v128) (local $kl v128) (local $accH0 v128) (local $accL0 v128) (local $accH1 v128) (local $accL1 v128) (local $accH2 v128) (local $accL2 v128) (local $accH3 v128) (local $accL3 v128)
    (local.set $kbytes
      (i32.shl
        (local.get $kpairs)
        (i32.const 5)))
    (local.set $stride2
      (i32.shl
        (local.get $stride)
        (i32.const 1)))
    (local.set $stride3
      (i32.add
        (local.get $stride2)
        (local.get $stride)))
    (local.set $outStride
      (i32.mul
        (local.get $outW)
        (local.get $step)))
    (local.set $lastX
      (i32.sub
        (local.get $outW)
        (i32.const 1)))
    (local.set $swizzleMask
      (v128.load align=1
        (local.get $mask)))
    (local.set $half
      (i32x4.splat
        (i32.const 2097152)))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_u
            (local.get $y)
            (local.get $rows)))
        (local.set $row
          (i32.add
            (local.get $src)
            (i32.mul
              (local.get $y)
              (local.get $stride))))
        (local.set $x
          (i32.const 0))
        (block $B2
          (loop $L3
            (br_if $B2
              (i32.ge_u
                (local.get $x)
                (local.get $outW)))
            (local.set $p
              (i32.add
                (local.get $row)
                (i32.mul
                  (i32.load
                    (i32.add
                      (local.get $first)
                      (i32.shl
                        (local.get $x)
                        (i32.const 2))))
                  (local.get $step))))
            (local.set $n
              (i32.load
                (i32.add
                  (local.get $pairs)
                  (i32.shl
                    (local.get $x)
                    (i32.const 2)))))
            (local.set $kp
              (i32.add
                (local.get $coeffs)
                (i32.mul
                  (local.get $x)
                  (local.get $kbytes))))
            (local.set $accL0
              (local.tee $accH0
                (i32x4.splat
                  (i32.const 0))))
            (local.set $accL1
              (local.tee $accH1
                (i32x4.splat
                  (i32.const 0))))
            (local.set $accL2
              (local.tee $accH2
                (i32x4.splat
                  (i32.const 0))))
            (local.set $accL3
              (local.tee $accH3
                (i32x4.splat
                  (i32.const 0))))
            (block $B4
              (loop $L5
                (br_if $B4
                  (i32.eqz
                    (local.get $n)))
                (local.set $kh
                  (v128.load align=1
                    (local.get $kp)))
                (local.set $kl
                  (v128.load align=1
                    (i32.add
                      (local.get $kp)
                      (i32.const 16))))
                (local.set $px
                  (i8x16.swizzle
                    (v128.load64_zero align=1
                      (local.get $p))
                    (local.get $swizzleMask)))
                (local.set $accH0
                  (i32x4.add
                    (local.get $accH0)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kh))))
                (local.set $accL0
                  (i32x4.add
                    (local.get $accL0)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kl))))
                (local.set $px
                  (i8x16.swizzle
                    (v128.load64_zero align=1
                      (i32.add
                        (local.get $p)
                        (local.get $stride)))
                    (local.get $swizzleMask)))
                (local.set $accH1
                  (i32x4.add
                    (local.get $accH1)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kh))))
                (local.set $accL1
                  (i32x4.add
                    (local.get $accL1)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kl))))
                (local.set $px
                  (i8x16.swizzle
                    (v128.load64_zero align=1
                      (i32.add
                        (local.get $p)
                        (local.get $stride2)))
                    (local.get $swizzleMask)))
                (local.set $accH2
                  (i32x4.add
                    (local.get $accH2)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kh))))
                (local.set $accL2
                  (i32x4.add
                    (local.get $accL2)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kl))))
                (local.set $px
                  (i8x16.swizzle
                    (v128.load64_zero align=1
                      (i32.add
                        (local.get $p)
                        (local.get $stride3)))
                    (local.get $swizzleMask)))
                (local.set $accH3
                  (i32x4.add
                    (local.get $accH3)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kh))))
                (local.set $accL3
                  (i32x4.add
                    (local.get $accL3)
                    (i32x4.dot_i16x8_s
                      (local.get $px)
                      (local.get $kl))))
                (local.set $p
                  (i32.add
                    (local.get $p)
                    (i32.shl
                      (local.get $step)
                      (i32.const 1))))
                (local.set $kp
                  (i32.add
                    (local.get $kp)
                    (i32.const 32)))
                (local.set $n
                  (i32.sub
                    (local.get $n)
                    (i32.const 1)))
                (br $L5)))
            (if $I6
              (i32.and
                (i32.eq
                  (local.get $x)
                  (local.get $lastX))
                (i32.eq
                  (local.get $step)
                  (i32.const 3)))
              (then
                (v128.store16_lane align=1 0
                  (local.get $dst)
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH0)
                                  (i32.const 11))
                                (local.get $accL0))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))
                (v128.store8_lane offset=2 2
                  (local.get $dst)
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH0)
                                  (i32.const 11))
                                (local.get $accL0))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px))))
              (else
                (v128.store32_lane align=1 0
                  (local.get $dst)
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH0)
                                  (i32.const 11))
                                (local.get $accL0))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))))
            (if $I7
              (i32.and
                (i32.eq
                  (local.get $x)
                  (local.get $lastX))
                (i32.eq
                  (local.get $step)
                  (i32.const 3)))
              (then
                (v128.store16_lane align=1 0
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 1)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH1)
                                  (i32.const 11))
                                (local.get $accL1))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))
                (v128.store8_lane offset=2 2
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 1)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH1)
                                  (i32.const 11))
                                (local.get $accL1))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px))))
              (else
                (v128.store32_lane align=1 0
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 1)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH1)
                                  (i32.const 11))
                                (local.get $accL1))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))))
            (if $I8
              (i32.and
                (i32.eq
                  (local.get $x)
                  (local.get $lastX))
                (i32.eq
                  (local.get $step)
                  (i32.const 3)))
              (then
                (v128.store16_lane align=1 0
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 2)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH2)
                                  (i32.const 11))
                                (local.get $accL2))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))
                (v128.store8_lane offset=2 2
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 2)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH2)
                                  (i32.const 11))
                                (local.get $accL2))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px))))
              (else
                (v128.store32_lane align=1 0
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 2)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH2)
                                  (i32.const 11))
                                (local.get $accL2))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))))
            (if $I9
              (i32.and
                (i32.eq
                  (local.get $x)
                  (local.get $lastX))
                (i32.eq
                  (local.get $step)
                  (i32.const 3)))
              (then
                (v128.store16_lane align=1 0
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 3)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH3)
                                  (i32.const 11))
                                (local.get $accL3))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))
                (v128.store8_lane offset=2 2
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 3)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH3)
                                  (i32.const 11))
                                (local.get $accL3))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px))))
              (else
                (v128.store32_lane align=1 0
                  (i32.add
                    (local.get $dst)
                    (i32.mul
                      (local.get $outStride)
                      (i32.const 3)))
                  (i8x16.narrow_i16x8_u
                    (local.tee $px
                      (i16x8.narrow_i32x4_s
                        (local.tee $px
                          (i32x4.shr_s
                            (i32x4.add
                              (i32x4.add
                                (i32x4.shl
                                  (local.get $accH3)
                                  (i32.const 11))
                                (local.get $accL3))
                              (local.get $half))
                            (i32.const 22)))
                        (local.get $px)))
                    (local.get $px)))))
            (local.set $dst
              (i32.add
                (local.get $dst)
                (local.get $step)))
            (local.set $x
              (i32.add
                (local.get $x)
                (i32.const 1)))
            (br $L3)))
        (local.set $dst
          (i32.add
            (local.get $dst)
            (i32.mul
              (local.get $outStride)
              (i32.const 3))))
        (local.set $y
          (i32.add
            (local.get $y)
            (i32.const 4)))
        (br $L1))))
  ;; Vertical pass.
  (func $v (type $t1) (param $src i32) (param $rowLength i32) (param $outH i32) (param $first i32) (param $count i32) (param $coeffs i32) (param $ksize i32) (param $dst i32)
    (local $y i32) (local $i i32) (local $base i32) (local $p i32) (local $kp i32) (local $n i32) (local $kbytes i32) (local $kp0 i32) (local $taps i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $k v128) (local $lo v128) (local $hi v128)
    (local.set $kbytes
      (i32.shl
        (local.get $ksize)
        (i32.const 2)))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_u
            (local.get $y)
            (local.get $outH)))
        (local.set $base
          (i32.add
            (local.get $src)
            (i32.mul
              (i32.load
                (i32.add
                  (local.get $first)
                  (i32.shl
                    (local.get $y)
                    (i32.const 2))))
              (local.get $rowLength))))
        (local.set $taps
          (i32.load
            (i32.add
              (local.get $count)
              (i32.shl
                (local.get $y)
                (i32.const 2)))))
        (local.set $kp0
          (i32.add
            (local.get $coeffs)
            (i32.mul
              (local.get $y)
              (local.get $kbytes))))
        (local.set $i
          (i32.const 0))
        (block $B2
          (loop $L3
            (br_if $B2
              (i32.ge_u
                (local.get $i)
                (local.get $rowLength)))
            (local.set $a3
              (local.tee $a2
                (local.tee $a1
                  (local.tee $a0
                    (i32x4.splat
                      (i32.const 2097152))))))
            (local.set $p
              (i32.add
                (local.get $base)
                (local.get $i)))
            (local.set $kp
              (local.get $kp0))
            (local.set $n
              (local.get $taps))
            (block $B4
              (loop $L5
                (br_if $B4
                  (i32.eqz
                    (local.get $n)))
                (local.set $lo
                  (i16x8.extend_low_i8x16_u
                    (local.tee $hi
                      (v128.load align=1
                        (local.get $p)))))
                (local.set $hi
                  (i16x8.extend_high_i8x16_u
                    (local.get $hi)))
                (local.set $k
                  (v128.load32_splat
                    (local.get $kp)))
                (local.set $a0
                  (i32x4.add
                    (local.get $a0)
                    (i32x4.mul
                      (i32x4.extend_low_i16x8_u
                        (local.get $lo))
                      (local.get $k))))
                (local.set $a1
                  (i32x4.add
                    (local.get $a1)
                    (i32x4.mul
                      (i32x4.extend_high_i16x8_u
                        (local.get $lo))
                      (local.get $k))))
                (local.set $a2
                  (i32x4.add
                    (local.get $a2)
                    (i32x4.mul
                      (i32x4.extend_low_i16x8_u
                        (local.get $hi))
                      (local.get $k))))
                (local.set $a3
                  (i32x4.add
                    (local.get $a3)
                    (i32x4.mul
                      (i32x4.extend_high_i16x8_u
                        (local.get $hi))
                      (local.get $k))))
                (local.set $p
                  (i32.add
                    (local.get $p)
                    (local.get $rowLength)))
                (local.set $kp
                  (i32.add
                    (local.get $kp)
                    (i32.const 4)))
                (local.set $n
                  (i32.sub
                    (local.get $n)
                    (i32.const 1)))
                (br $L5)))
            (v128.store align=1
              (i32.add
                (local.get $dst)
                (local.get $i))
              (i8x16.narrow_i16x8_u
                (i16x8.narrow_i32x4_s
                  (i32x4.shr_s
                    (local.get $a0)
                    (i32.const 22))
                  (i32x4.shr_s
                    (local.get $a1)
                    (i32.const 22)))
                (i16x8.narrow_i32x4_s
                  (i32x4.shr_s
                    (local.get $a2)
                    (i32.const 22))
                  (i32x4.shr_s
                    (local.get $a3)
                    (i32.const 22)))))
            (local.set $i
              (i32.add
                (local.get $i)
                (i32.const 16)))
            (br $L3)))
        (local.set $dst
          (i32.add
            (local.get $dst)
            (local.get $rowLength)))
        (local.set $y
          (i32.add
            (local.get $y)
            (i32.const 1)))
        (br $L1))))
  (memory $mem 1)
  (export "h1" (func $h1))
  (export "h4" (func $h4))
  (export "v" (func $v))
  (export "mem" (memory $mem)))
