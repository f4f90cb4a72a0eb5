#include "textflag.h"

// func axpyRowsAVX2(c, w, b *float64, nj, d, n16 int)
TEXT ·axpyRowsAVX2(SB), NOSPLIT, $0-48
	MOVQ c+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ b+16(FP), R8
	MOVQ nj+24(FP), R9
	MOVQ d+32(FP), DX
	MOVQ n16+40(FP), CX
	SHLQ $3, DX
	TESTQ R9, R9
	JE axdone
	TESTQ CX, CX
	JE axdone
axcol:
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	MOVQ R8, R10           // b row j, this column chunk
	XORQ BX, BX
axrow:
	VBROADCASTSD (SI)(BX*8), Y4
	VFMADD231PD 0(R10), Y4, Y0
	VFMADD231PD 32(R10), Y4, Y1
	VFMADD231PD 64(R10), Y4, Y2
	VFMADD231PD 96(R10), Y4, Y3
	ADDQ DX, R10
	INCQ BX
	CMPQ BX, R9
	JNE axrow
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ $128, DI
	ADDQ $128, R8
	DECQ CX
	JNE axcol
axdone:
	VZEROUPPER
	RET

// Constants of the vector exponential: e^x = 2^k·e^r, k = round(x/ln2),
// r = x − k·ln2 (ln2 in two parts, fdlibm's), e^r by its degree-13 Taylor
// polynomial (truncation below 5e−18 relative for |r| ≤ ln2/2).
DATA expc<>+0(SB)/8, $-708.0
DATA expc<>+8(SB)/8, $1.4426950408889634     // 1/ln2
DATA expc<>+16(SB)/8, $6755399441055744.0    // 1.5·2^52
DATA expc<>+24(SB)/8, $6.93147180369123816490e-01 // ln2 hi
DATA expc<>+32(SB)/8, $1.90821492927058770002e-10 // ln2 lo
DATA expc<>+40(SB)/8, $1.6059043836821613e-10 // 1/13!
DATA expc<>+48(SB)/8, $2.08767569878681e-09   // 1/12!
DATA expc<>+56(SB)/8, $2.505210838544172e-08  // 1/11!
DATA expc<>+64(SB)/8, $2.755731922398589e-07  // 1/10!
DATA expc<>+72(SB)/8, $2.7557319223985893e-06 // 1/9!
DATA expc<>+80(SB)/8, $2.48015873015873e-05   // 1/8!
DATA expc<>+88(SB)/8, $0.0001984126984126984  // 1/7!
DATA expc<>+96(SB)/8, $0.001388888888888889   // 1/6!
DATA expc<>+104(SB)/8, $0.008333333333333333  // 1/5!
DATA expc<>+112(SB)/8, $0.041666666666666664  // 1/4!
DATA expc<>+120(SB)/8, $0.16666666666666666   // 1/3!
DATA expc<>+128(SB)/8, $0.5
DATA expc<>+136(SB)/8, $1.0
GLOBL expc<>(SB), RODATA|NOPTR, $144

#define HORNER(c) VFMADD213PD c, Y3, Y2 // Y2 = Y2·r + c

// func expNegAVX2(dst, src *float64, a float64, n4 int)
TEXT ·expNegAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	VBROADCASTSD a+16(FP), Y8
	MOVQ n4+24(FP), CX
	VBROADCASTSD expc<>+0(SB), Y9   // −708
	VBROADCASTSD expc<>+8(SB), Y10  // 1/ln2
	VBROADCASTSD expc<>+16(SB), Y11 // shift
	VBROADCASTSD expc<>+24(SB), Y12 // ln2 hi
	VBROADCASTSD expc<>+32(SB), Y13 // ln2 lo
	VBROADCASTSD expc<>+40(SB), Y14 // 1/13!
	VBROADCASTSD expc<>+136(SB), Y15 // 1
	TESTQ CX, CX
	JE expdone
exploop:
	VMOVUPD (SI), Y0
	VMULPD Y8, Y0, Y0               // a·t
	VXORPD Y1, Y1, Y1
	VSUBPD Y0, Y1, Y0               // x = −a·t
	VMAXPD Y9, Y0, Y0               // x = max(x, −708)
	VMOVAPD Y11, Y1
	VFMADD231PD Y10, Y0, Y1         // kb = x/ln2 + shift (k in the low bits)
	VSUBPD Y11, Y1, Y4              // k as a double
	VMOVAPD Y0, Y3
	VFNMADD231PD Y12, Y4, Y3        // r = x − k·ln2hi
	VFNMADD231PD Y13, Y4, Y3        // r −= k·ln2lo
	VMOVAPD Y14, Y2
	VBROADCASTSD expc<>+48(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+56(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+64(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+72(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+80(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+88(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+96(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+104(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+112(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+120(SB), Y5
	HORNER(Y5)
	VBROADCASTSD expc<>+128(SB), Y5
	HORNER(Y5)
	HORNER(Y15)
	HORNER(Y15)                     // Y2 = e^r
	VPSLLQ $52, Y1, Y1              // k << 52
	VPADDQ Y1, Y2, Y2               // scale by 2^k
	VMOVUPD Y2, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNE exploop
expdone:
	VZEROUPPER
	RET

// func powAccAVX2(e, v, dv *float64, floor, rate float64, k uint, n4 int)
// For j < 4·n4: p = max(e[j], floor)^k (binary powering, k ≥ 1);
// v[j] += p; dv[j] −= rate·p.
TEXT ·powAccAVX2(SB), NOSPLIT, $0-56
	MOVQ e+0(FP), SI
	MOVQ v+8(FP), DI
	MOVQ dv+16(FP), R8
	VBROADCASTSD floor+24(FP), Y8
	VBROADCASTSD rate+32(FP), Y9
	MOVQ k+40(FP), R9
	MOVQ n4+48(FP), CX
	TESTQ CX, CX
	JE powdone
powloop:
	VMOVUPD (SI), Y0
	VMAXPD Y8, Y0, Y0               // b
	MOVQ R9, AX
	// Skip the low zero bits of k, squaring b, then start p at b.
powlow:
	TESTQ $1, AX
	JNE powstart
	VMULPD Y0, Y0, Y0
	SHRQ $1, AX
	JMP powlow
powstart:
	VMOVAPD Y0, Y1                  // p
	SHRQ $1, AX
powbits:
	TESTQ AX, AX
	JE powend
	VMULPD Y0, Y0, Y0
	TESTQ $1, AX
	JE pownext
	VMULPD Y0, Y1, Y1
pownext:
	SHRQ $1, AX
	JMP powbits
powend:
	VADDPD (DI), Y1, Y2
	VMOVUPD Y2, (DI)
	VMOVUPD (R8), Y3
	VFNMADD231PD Y9, Y1, Y3         // dv −= rate·p
	VMOVUPD Y3, (R8)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	DECQ CX
	JNE powloop
powdone:
	VZEROUPPER
	RET

// func biasReLUAVX2(x *float64, b float64, n8 int)
// For j < 8·n8: v = x[j] + b; x[j] = v with its bits cleared when its sign
// bit is set (so −0 and negative values become +0, as ReLU in Go).
TEXT ·biasReLUAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), DI
	VBROADCASTSD b+8(FP), Y8
	MOVQ n8+16(FP), CX
	VPXOR Y9, Y9, Y9
	TESTQ CX, CX
	JE reludone
reluloop:
	VADDPD (DI), Y8, Y0
	VADDPD 32(DI), Y8, Y1
	VPCMPGTQ Y0, Y9, Y2             // all ones where the sign bit is set
	VPCMPGTQ Y1, Y9, Y3
	VPANDN Y0, Y2, Y0               // v &^ mask
	VPANDN Y1, Y3, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ $64, DI
	DECQ CX
	JNE reluloop
reludone:
	VZEROUPPER
	RET

// func biasLeakyAVX2(x *float64, b, s float64, n8 int)
// For j < 8·n8: v = x[j] + b; x[j] = s·v when v's sign bit is set, else v.
TEXT ·biasLeakyAVX2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), DI
	VBROADCASTSD b+8(FP), Y8
	VBROADCASTSD s+16(FP), Y9
	MOVQ n8+24(FP), CX
	TESTQ CX, CX
	JE leakydone
leakyloop:
	VADDPD (DI), Y8, Y0
	VADDPD 32(DI), Y8, Y1
	VMULPD Y9, Y0, Y2
	VMULPD Y9, Y1, Y3
	VBLENDVPD Y0, Y2, Y0, Y0        // sign of v ? s·v : v
	VBLENDVPD Y1, Y3, Y1, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ $64, DI
	DECQ CX
	JNE leakyloop
leakydone:
	VZEROUPPER
	RET

// func addBiasAVX2(x *float64, b float64, n8 int)
// For j < 8·n8: x[j] += b.
TEXT ·addBiasAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), DI
	VBROADCASTSD b+8(FP), Y8
	MOVQ n8+16(FP), CX
	TESTQ CX, CX
	JE biasdone
biasloop:
	VADDPD (DI), Y8, Y0
	VADDPD 32(DI), Y8, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ $64, DI
	DECQ CX
	JNE biasloop
biasdone:
	VZEROUPPER
	RET

// func expNegAVX512(dst, src *float64, a float64, n8 int)
// expNegAVX2 eight lanes at a time, with the same operations in the same
// order (so the same bits), the polynomial's coefficients held in
// registers.
TEXT ·expNegAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	VBROADCASTSD a+16(FP), Z8
	MOVQ n8+24(FP), CX
	VBROADCASTSD expc<>+0(SB), Z9    // −708
	VBROADCASTSD expc<>+8(SB), Z10   // 1/ln2
	VBROADCASTSD expc<>+16(SB), Z11  // shift
	VBROADCASTSD expc<>+24(SB), Z12  // ln2 hi
	VBROADCASTSD expc<>+32(SB), Z13  // ln2 lo
	VBROADCASTSD expc<>+40(SB), Z14  // 1/13!
	VBROADCASTSD expc<>+136(SB), Z15 // 1
	VBROADCASTSD expc<>+48(SB), Z16  // 1/12!
	VBROADCASTSD expc<>+56(SB), Z17
	VBROADCASTSD expc<>+64(SB), Z18
	VBROADCASTSD expc<>+72(SB), Z19
	VBROADCASTSD expc<>+80(SB), Z20
	VBROADCASTSD expc<>+88(SB), Z21
	VBROADCASTSD expc<>+96(SB), Z22
	VBROADCASTSD expc<>+104(SB), Z23
	VBROADCASTSD expc<>+112(SB), Z24
	VBROADCASTSD expc<>+120(SB), Z25
	VBROADCASTSD expc<>+128(SB), Z26 // 1/2
	VPXORQ Z27, Z27, Z27             // 0
	TESTQ CX, CX
	JE exp8done
exp8loop:
	VMOVUPD (SI), Z0
	VMULPD Z8, Z0, Z0                // a·t
	VSUBPD Z0, Z27, Z0               // x = −a·t
	VMAXPD Z9, Z0, Z0                // x = max(x, −708)
	VMOVAPD Z11, Z1
	VFMADD231PD Z10, Z0, Z1          // kb = x/ln2 + shift
	VSUBPD Z11, Z1, Z4               // k as a double
	VMOVAPD Z0, Z3
	VFNMADD231PD Z12, Z4, Z3         // r = x − k·ln2hi
	VFNMADD231PD Z13, Z4, Z3         // r −= k·ln2lo
	VMOVAPD Z14, Z2
	VFMADD213PD Z16, Z3, Z2          // Z2 = Z2·r + c
	VFMADD213PD Z17, Z3, Z2
	VFMADD213PD Z18, Z3, Z2
	VFMADD213PD Z19, Z3, Z2
	VFMADD213PD Z20, Z3, Z2
	VFMADD213PD Z21, Z3, Z2
	VFMADD213PD Z22, Z3, Z2
	VFMADD213PD Z23, Z3, Z2
	VFMADD213PD Z24, Z3, Z2
	VFMADD213PD Z25, Z3, Z2
	VFMADD213PD Z26, Z3, Z2
	VFMADD213PD Z15, Z3, Z2
	VFMADD213PD Z15, Z3, Z2          // Z2 = e^r
	VPSLLQ $52, Z1, Z1               // k << 52
	VPADDQ Z1, Z2, Z2                // scale by 2^k
	VMOVUPD Z2, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNE exp8loop
exp8done:
	VZEROUPPER
	RET

// func powAccAVX512(e, v, dv *float64, floor, rate float64, k uint, n8 int)
// powAccAVX2 eight lanes at a time, the same operations in the same order.
TEXT ·powAccAVX512(SB), NOSPLIT, $0-56
	MOVQ e+0(FP), SI
	MOVQ v+8(FP), DI
	MOVQ dv+16(FP), R8
	VBROADCASTSD floor+24(FP), Z8
	VBROADCASTSD rate+32(FP), Z9
	MOVQ k+40(FP), R9
	MOVQ n8+48(FP), CX
	TESTQ CX, CX
	JE pow8done
pow8loop:
	VMOVUPD (SI), Z0
	VMAXPD Z8, Z0, Z0                // b
	MOVQ R9, AX
pow8low:
	TESTQ $1, AX
	JNE pow8start
	VMULPD Z0, Z0, Z0
	SHRQ $1, AX
	JMP pow8low
pow8start:
	VMOVAPD Z0, Z1                   // p
	SHRQ $1, AX
pow8bits:
	TESTQ AX, AX
	JE pow8end
	VMULPD Z0, Z0, Z0
	TESTQ $1, AX
	JE pow8next
	VMULPD Z0, Z1, Z1
pow8next:
	SHRQ $1, AX
	JMP pow8bits
pow8end:
	VADDPD (DI), Z1, Z2
	VMOVUPD Z2, (DI)
	VMOVUPD (R8), Z3
	VFNMADD231PD Z9, Z1, Z3          // dv −= rate·p
	VMOVUPD Z3, (R8)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R8
	DECQ CX
	JNE pow8loop
pow8done:
	VZEROUPPER
	RET

// func reluGradAVX2(d, y, dy *float64, n8 int)
// For j < 8·n8: d[j] = g[j] where the bits of y[j] are not all zero, else
// +0 (ReLUGrad's rule).
TEXT ·reluGradAVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ dy+16(FP), DX
	MOVQ n8+24(FP), CX
	VPXOR Y9, Y9, Y9
	TESTQ CX, CX
	JE rgdone
rgloop:
	VPCMPEQQ (SI), Y9, Y2           // all ones where y is +0
	VPCMPEQQ 32(SI), Y9, Y3
	VMOVUPD (DX), Y0
	VMOVUPD 32(DX), Y1
	VPANDN Y0, Y2, Y0               // g &^ mask
	VPANDN Y1, Y3, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNE rgloop
rgdone:
	VZEROUPPER
	RET

// func adamAVX2(p, gr, m, v *float64, n4 int, c *[8]float64)
// For j < 4·n4, Adam's rule (adam.go), one rounding per operation.
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ gr+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n4+32(FP), CX
	MOVQ c+40(FP), AX
	VBROADCASTSD 0(AX), Y10  // β1
	VBROADCASTSD 8(AX), Y11  // 1−β1
	VBROADCASTSD 16(AX), Y12 // β2
	VBROADCASTSD 24(AX), Y13 // 1−β2
	VBROADCASTSD 32(AX), Y14 // LR
	VBROADCASTSD 40(AX), Y15 // C1
	VBROADCASTSD 48(AX), Y8  // C2
	VBROADCASTSD 56(AX), Y9  // ε
	TESTQ CX, CX
	JE adone
aloop:
	VMOVUPD (SI), Y0
	VMULPD (R8), Y10, Y1            // β1·m
	VMULPD Y0, Y11, Y2              // (1−β1)·g
	VADDPD Y2, Y1, Y1               // m
	VMOVUPD Y1, (R8)
	VMULPD Y0, Y13, Y3              // (1−β2)·g
	VMULPD Y0, Y3, Y3               // ·g
	VMULPD (R9), Y12, Y4            // β2·v
	VADDPD Y3, Y4, Y4               // v
	VMOVUPD Y4, (R9)
	VMULPD Y1, Y15, Y1              // m·C1
	VMULPD Y1, Y14, Y1              // LR·(m·C1)
	VSQRTPD Y4, Y4
	VMULPD Y4, Y8, Y4               // √v·C2
	VADDPD Y4, Y9, Y4               // + ε
	VDIVPD Y4, Y1, Y1               // LR·(m·C1) / (√v·C2 + ε)
	VMOVUPD (DI), Y5
	VSUBPD Y1, Y5, Y5
	VMOVUPD Y5, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNE aloop
adone:
	VZEROUPPER
	RET

// func biasRowsAVX2(x, b *float64, w8, rows, ld int, kind int, s float64)
// For every row r < rows and j < 8·w8: v = x[r·ld + j] + b[j], then by kind
// 0: x = v; 1: x = v with its bits cleared when its sign bit is set (ReLU);
// 2: x = s·v when v's sign bit is set, else v (leaky ReLU). The same
// operations as addBiasAVX2, biasReLUAVX2 and biasLeakyAVX2, so the same
// bits, with a bias that varies along the row.
TEXT ·biasRowsAVX2(SB), NOSPLIT, $0-56
	MOVQ x+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ w8+16(FP), R8
	MOVQ rows+24(FP), R9
	MOVQ ld+32(FP), R10
	SHLQ $3, R10
	MOVQ kind+40(FP), R11
	VBROADCASTSD s+48(FP), Y9
	VPXOR Y10, Y10, Y10
	TESTQ R8, R8
	JE rowsdone
	TESTQ R9, R9
	JE rowsdone
rowsrow:
	MOVQ DI, AX
	MOVQ SI, BX
	MOVQ R8, CX
rowscol:
	VMOVUPD (BX), Y4
	VMOVUPD 32(BX), Y5
	VADDPD (AX), Y4, Y0
	VADDPD 32(AX), Y5, Y1
	CMPQ R11, $1
	JE rowsrelu
	JG rowsleaky
	JMP rowsstore
rowsrelu:
	VPCMPGTQ Y0, Y10, Y2
	VPCMPGTQ Y1, Y10, Y3
	VPANDN Y0, Y2, Y0
	VPANDN Y1, Y3, Y1
	JMP rowsstore
rowsleaky:
	VMULPD Y9, Y0, Y2
	VMULPD Y9, Y1, Y3
	VBLENDVPD Y0, Y2, Y0, Y0
	VBLENDVPD Y1, Y3, Y1, Y1
rowsstore:
	VMOVUPD Y0, (AX)
	VMOVUPD Y1, 32(AX)
	ADDQ $64, AX
	ADDQ $64, BX
	DECQ CX
	JNE rowscol
	ADDQ R10, DI
	DECQ R9
	JNE rowsrow
rowsdone:
	VZEROUPPER
	RET

// func gaussPowAVX512(r2, dv, prog *float64, plen, n8 int, s *[4]float64)
//
// For each vector of eight squared distances: per group of the program
// the exponential of expNegAVX512 (the same operations, its polynomial's
// coefficients read as broadcast memory operands to free registers),
// added to v and −a times it to dv, then per term the power ladder of
// powAccAVX512 on max(e, floor), added likewise; v and dv stay in
// registers. dv is stored; v's two halves are added in turn to the four
// partial sums. Two vectors go through each pass of the program together,
// so that their chains of dependent operations overlap.

// GEXP sets e to exp(max(−a·r, −708)) for a in Z28, with scratch x, kb, k, rr.
#define GEXP(r, e, x, kb, k, rr) \
	VMULPD Z28, r, x; \
	VSUBPD x, Z27, x; \
	VMAXPD Z9, x, x; \
	VMOVAPD Z11, kb; \
	VFMADD231PD Z10, x, kb; \
	VSUBPD Z11, kb, k; \
	VMOVAPD x, rr; \
	VFNMADD231PD Z12, k, rr; \
	VFNMADD231PD Z13, k, rr; \
	VBROADCASTSD expc<>+40(SB), e; \
	VFMADD213PD.BCST expc<>+48(SB), rr, e; \
	VFMADD213PD.BCST expc<>+56(SB), rr, e; \
	VFMADD213PD.BCST expc<>+64(SB), rr, e; \
	VFMADD213PD.BCST expc<>+72(SB), rr, e; \
	VFMADD213PD.BCST expc<>+80(SB), rr, e; \
	VFMADD213PD.BCST expc<>+88(SB), rr, e; \
	VFMADD213PD.BCST expc<>+96(SB), rr, e; \
	VFMADD213PD.BCST expc<>+104(SB), rr, e; \
	VFMADD213PD.BCST expc<>+112(SB), rr, e; \
	VFMADD213PD.BCST expc<>+120(SB), rr, e; \
	VFMADD213PD.BCST expc<>+128(SB), rr, e; \
	VFMADD213PD Z15, rr, e; \
	VFMADD213PD Z15, rr, e; \
	VPSLLQ $52, kb, kb; \
	VPADDQ kb, e, e

// GADD adds the k = 1 term e (floor 0) to v and −a·e to dv, with scratch t.
#define GADD(e, v, dv, t) \
	VMAXPD Z27, e, t; \
	VADDPD t, v, v; \
	VFNMADD231PD Z28, t, dv

// GSUM adds the eight values of v to the partial sums in the low four lanes
// of Z26, first half first, with scratch t.
#define GSUM(v, t) \
	VSHUFF64X2 $0x4e, v, v, t; \
	VADDPD v, Z26, Z26; \
	VADDPD t, Z26, Z26

TEXT ·gaussPowAVX512(SB), NOSPLIT, $0-48
	MOVQ r2+0(FP), SI
	MOVQ dv+8(FP), DI
	MOVQ prog+16(FP), R13
	MOVQ plen+24(FP), R14
	SHLQ $3, R14
	ADDQ R13, R14                    // end of the program
	MOVQ n8+32(FP), CX
	MOVQ s+40(FP), DX
	VMOVUPD (DX), Y3                 // the partial sums, into Z26
	VMOVAPD Z3, Z26
	VBROADCASTSD expc<>+0(SB), Z9    // −708
	VBROADCASTSD expc<>+8(SB), Z10   // 1/ln2
	VBROADCASTSD expc<>+16(SB), Z11  // shift
	VBROADCASTSD expc<>+24(SB), Z12  // ln2 hi
	VBROADCASTSD expc<>+32(SB), Z13  // ln2 lo
	VBROADCASTSD expc<>+136(SB), Z15 // 1
	VPXORQ Z27, Z27, Z27             // 0
	MOVQ CX, BX
	SHRQ $1, BX                      // pairs of vectors
	JE gpone
gp2loop:
	VMOVUPD (SI), Z0                 // r² of the first vector
	VMOVUPD 64(SI), Z16              // and of the second
	VPXORQ Z1, Z1, Z1                // v
	VPXORQ Z2, Z2, Z2                // dv
	VPXORQ Z17, Z17, Z17
	VPXORQ Z18, Z18, Z18
	MOVQ R13, R8
gp2group:
	VBROADCASTSD (R8), Z28           // a
	GEXP(Z0, Z7, Z3, Z4, Z5, Z6)
	GEXP(Z16, Z23, Z19, Z20, Z21, Z22)
	GADD(Z7, Z1, Z2, Z3)
	GADD(Z23, Z17, Z18, Z19)
	MOVQ 8(R8), R10                  // terms of the group
	ADDQ $16, R8
gp2term:
	TESTQ R10, R10
	JE gp2next
	MOVQ (R8), AX                    // k
	VBROADCASTSD 8(R8), Z29          // rate
	VMAXPD.BCST 16(R8), Z7, Z8       // b = max(e, floor)
	VMAXPD.BCST 16(R8), Z23, Z24
	ADDQ $24, R8
gp2low:
	TESTQ $1, AX
	JNE gp2start
	VMULPD Z8, Z8, Z8
	VMULPD Z24, Z24, Z24
	SHRQ $1, AX
	JMP gp2low
gp2start:
	VMOVAPD Z8, Z14                  // p
	VMOVAPD Z24, Z25
	SHRQ $1, AX
gp2bits:
	TESTQ AX, AX
	JE gp2end
	VMULPD Z8, Z8, Z8
	VMULPD Z24, Z24, Z24
	TESTQ $1, AX
	JE gp2skip
	VMULPD Z8, Z14, Z14
	VMULPD Z24, Z25, Z25
gp2skip:
	SHRQ $1, AX
	JMP gp2bits
gp2end:
	VADDPD Z14, Z1, Z1               // v += p
	VFNMADD231PD Z29, Z14, Z2        // dv −= rate·p
	VADDPD Z25, Z17, Z17
	VFNMADD231PD Z29, Z25, Z18
	DECQ R10
	JMP gp2term
gp2next:
	CMPQ R8, R14
	JB gp2group
	VMOVUPD Z2, (DI)
	VMOVUPD Z18, 64(DI)
	GSUM(Z1, Z3)
	GSUM(Z17, Z19)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ BX
	JNE gp2loop
gpone:
	TESTQ $1, CX
	JE gpdone
	VMOVUPD (SI), Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	MOVQ R13, R8
gp1group:
	VBROADCASTSD (R8), Z28
	GEXP(Z0, Z7, Z3, Z4, Z5, Z6)
	GADD(Z7, Z1, Z2, Z3)
	MOVQ 8(R8), R10
	ADDQ $16, R8
gp1term:
	TESTQ R10, R10
	JE gp1next
	MOVQ (R8), AX
	VBROADCASTSD 8(R8), Z29
	VMAXPD.BCST 16(R8), Z7, Z8
	ADDQ $24, R8
gp1low:
	TESTQ $1, AX
	JNE gp1start
	VMULPD Z8, Z8, Z8
	SHRQ $1, AX
	JMP gp1low
gp1start:
	VMOVAPD Z8, Z14
	SHRQ $1, AX
gp1bits:
	TESTQ AX, AX
	JE gp1end
	VMULPD Z8, Z8, Z8
	TESTQ $1, AX
	JE gp1skip
	VMULPD Z8, Z14, Z14
gp1skip:
	SHRQ $1, AX
	JMP gp1bits
gp1end:
	VADDPD Z14, Z1, Z1
	VFNMADD231PD Z29, Z14, Z2
	DECQ R10
	JMP gp1term
gp1next:
	CMPQ R8, R14
	JB gp1group
	VMOVUPD Z2, (DI)
	GSUM(Z1, Z3)
gpdone:
	VMOVAPD Z26, Z3
	VMOVUPD Y3, (DX)
	VZEROUPPER
	RET
